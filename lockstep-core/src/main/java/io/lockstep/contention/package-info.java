/**
 * In-process contention numbers ({@link io.lockstep.contention.Contention}): which locks and
 * semaphores threads wait for, how often and how long, for an application's metrics.
 */
package io.lockstep.contention;
