/**
 * Notifications the leader sends when something an on-call engineer must know happens: one {@link
 * dev.dialtone.notify.Notification} per event, {@link dev.dialtone.notify.NotificationProvider}s
 * (one package each: webhook, Slack, PagerDuty Events v2, e-mail) behind one interface, and a
 * {@link dev.dialtone.notify.Dispatcher} that routes, queues (bounded, never blocking the caller)
 * and retries with the project's backoff until a receiver takes the event or the retry budget is spent.
 */
package dev.dialtone.notify;
