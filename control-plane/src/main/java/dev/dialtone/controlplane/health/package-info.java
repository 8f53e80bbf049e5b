/** The health view every replica builds from its agents' report streams, and the gRPC service feeding it. */
package dev.dialtone.controlplane.health;
