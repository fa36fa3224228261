/**
 * Priority scheduling in user space, where Java thread priorities (ignored on Linux) cannot reach:
 * a {@link io.lockstep.cli.priority.PriorityScheduler} runs {@link io.lockstep.cli.priority.Task}s
 * by priority on simulated CPUs and a virtual clock, so runs are deterministic and waits can be
 * measured exactly; its mutexes show priority inversion ({@link
 * io.lockstep.cli.priority.SchedulerMutex}) and its two cures, {@link
 * io.lockstep.cli.priority.PiMutex} (inheritance, transitive) and {@link
 * io.lockstep.cli.priority.CeilingMutex} (priority ceiling). These mutexes work only inside their
 * scheduler's tasks; they are a model for studying and testing real-time designs, not replacements
 * for {@link io.lockstep.lock.RawMutex}.
 */
package io.lockstep.cli.priority;
