/**
 * Lockstep's JFR events, all disabled by default and named {@code io.lockstep.*}; the
 * {@code lockstep.jfc} resource at the root of this jar enables them with a 20 ms threshold.
 * Primitives start them through {@link io.lockstep.internal.jfr.Jfr}, on their slow paths
 * only: it touches an event class only once JFR is up (so a process that never records never
 * initializes JFR), then asks the event whether a recording enables it; null or nothing when not.
 * Not exported from the {@code io.lockstep} module: users read the events by name, not by class.
 */
package io.lockstep.internal.jfr;
