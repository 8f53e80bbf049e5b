/** The placement policy and its safety rules: pure functions of a snapshot to a decision with reasons. */
package dev.dialtone.controlplane.policy;
