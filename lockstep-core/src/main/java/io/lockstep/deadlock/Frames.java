package io.lockstep.deadlock;

import java.util.Arrays;

/** Stack-trace trimming for reports: the first frame shown is the caller's lock call, not ours. */
final class Frames {
    private Frames() {}

    /** Drops the leading frames of the lock-order machinery (graph, validator and hook classes). */
    static StackTraceElement[] trim(StackTraceElement[] stack) {
        int i = 0;
        while (i < stack.length && ours(stack[i].getClassName())) i++;
        return i == stack.length ? stack : Arrays.copyOfRange(stack, i, stack.length);
    }

    private static boolean ours(String className) {
        return className.startsWith(LockGraph.class.getName()) || className.startsWith(LockOrderValidator.class.getName())
                || className.startsWith(LockOrder.class.getName())
                || className.startsWith("io.lockstep.internal.LockTracking");
    }
}
