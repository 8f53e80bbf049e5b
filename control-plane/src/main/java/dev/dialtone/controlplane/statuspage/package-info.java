/**
 * The status page for people: one page served by every replica over HTTPS (the replica's own
 * certificate), behind the admin API's roles, built from the admin service's own answers and
 * pushed live to the browser with Server-Sent Events. No script or style comes from elsewhere.
 */
package dev.dialtone.controlplane.statuspage;
