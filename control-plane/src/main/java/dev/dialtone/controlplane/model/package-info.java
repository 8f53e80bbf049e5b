/** The control plane's vocabulary: regions, placement, modes, freeze signals and policy settings. */
package dev.dialtone.controlplane.model;
