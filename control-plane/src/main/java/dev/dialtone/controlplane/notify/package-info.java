/**
 * The leader's notifications: events raised from what ZooKeeper says happened (the committed
 * placement, the plan, the term) into an outbox under {@code /dialtone/<deployment>/notify}, and
 * delivered from there by the {@link dev.dialtone.notify.Dispatcher}, each receiver's outcome
 * marked in the outbox and recorded in the history, so a new leader resumes what its predecessor
 * left undelivered and never raises an event twice.
 */
package dev.dialtone.controlplane.notify;
