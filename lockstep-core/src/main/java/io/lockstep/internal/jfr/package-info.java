/**
 * Lockstep's JFR events, all disabled by default and named {@code io.lockstep.*}; the
 * {@code lockstep.jfc} resource at the root of this jar enables them with a 20 ms threshold.
 * Each class has a static {@code start()} (or {@code emit}) that checks first whether some
 * recording enables the event (one flag read; null or nothing when not), so primitives call it
 * on their slow paths only and pay nothing when no recording is on. Not exported from the
 * {@code io.lockstep} module: users read the events by name, not by class.
 */
package io.lockstep.internal.jfr;
