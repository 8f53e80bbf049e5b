/**
 * One way to read every Dialtone file (replica, agent, DNS break-glass, drills): strict YAML
 * binding with Jackson, checks with Jakarta Bean Validation, and errors that name the file, the
 * line and the field; one {@link java.time.Duration} syntax ({@link dev.dialtone.config.Durations}),
 * one {@link dev.dialtone.config.Secret}, one {@link dev.dialtone.config.Backoff}.
 */
package dev.dialtone.config;
