/**
 * Recloser's internal protocol between the core and its own operator modules. Not an API: exported
 * only to {@code dev.recloser.reactor} and {@code dev.recloser.webclient}; may change in any release.
 */
package dev.recloser.core.internal;
