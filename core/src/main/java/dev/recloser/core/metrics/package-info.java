/**
 * Micrometer binders for Recloser's breakers, bulkheads, retries and concurrency limiters. Micrometer is an optional
 * dependency of recloser-core: these classes load only when an application uses them.
 * Meter names and tags are listed in {@code docs/metrics.md}.
 */
package dev.recloser.core.metrics;
