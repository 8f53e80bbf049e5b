/**
 * One metrics path for replica and agent: metrics are recorded in Dropwizard under catalogued
 * names ({@link dev.dialtone.telemetry.MetricName}) and exported by the Prometheus client library
 * ({@link dev.dialtone.telemetry.PrometheusEndpoint}); nothing here writes the exposition format.
 */
package dev.dialtone.telemetry;
