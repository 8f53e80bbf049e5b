/**
 * The actuation contract: {@link dev.dialtone.actuation.TrafficActuator} and the types every
 * actuator and the control plane share, with fencing by leadership epoch built into every call.
 */
package dev.dialtone.actuation;
