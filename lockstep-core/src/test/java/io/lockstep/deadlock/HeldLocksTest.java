package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.internal.LockTracking;
import io.lockstep.testing.Await;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-thread chain cache on its own (no tracking needed): a hit only for the exact held
 * sequence, modes and kind that were validated; bounded; keeps no lock alive.
 */
@Timeout(30)
class HeldLocksTest {
    private static final int X = LockTracking.EXCLUSIVE, S = LockTracking.SHARED;
    private static final int BLOCKING = HeldLocks.BLOCKING;

    private static void pushAll(HeldLocks h, Object... locks) {
        for (Object l : locks) h.push(l, X);
    }

    private static void popAll(HeldLocks h) {
        while (h.size > 0) h.remove(h.locks[h.size - 1]);
    }

    @Test
    void aHitNeedsTheSameHeldSequenceInTheSameOrderAndModes() {
        HeldLocks h = new HeldLocks();
        Object a = new Object(), b = new Object(), c = new Object();
        pushAll(h, a, b);
        h.markValidated(c, X, BLOCKING);
        assertThat(h.validated(c, X, BLOCKING, 0)).isTrue();
        assertThat(h.validated(c, S, BLOCKING, 0)).as("other mode").isFalse();
        assertThat(h.validated(c, X, HeldLocks.TRY, 0)).as("a try validation is not a blocking one").isFalse();
        popAll(h);

        pushAll(h, b, a);                                     // same set, other order
        assertThat(h.validated(c, X, BLOCKING, 0)).isFalse();
        popAll(h);
        pushAll(h, b);                                        // a suffix
        assertThat(h.validated(c, X, BLOCKING, 0)).isFalse();
        popAll(h);
        h.push(a, S);                                         // same locks, other held mode
        h.push(b, X);
        assertThat(h.validated(c, X, BLOCKING, 0)).isFalse();
        popAll(h);
        assertThat(h.validated(c, X, BLOCKING, 0)).as("nothing held").isFalse();
        pushAll(h, a, b);
        assertThat(h.validated(c, X, BLOCKING, 0)).as("the validated chain again").isTrue();
        assertThat(h.validated(c, X, BLOCKING, 1)).as("another graph epoch").isFalse();
    }

    @Test
    void releasingOutOfOrderLeavesTheChainOfWhatIsStillHeld() {
        HeldLocks h = new HeldLocks();
        Object a = new Object(), b = new Object(), c = new Object(), d = new Object();
        pushAll(h, a, c);
        h.markValidated(d, X, BLOCKING);
        popAll(h);
        pushAll(h, a, b, c);
        assertThat(h.validated(d, X, BLOCKING, 0)).isFalse();
        h.remove(b);                                          // now exactly [a, c]
        assertThat(h.validated(d, X, BLOCKING, 0)).isTrue();
        h.remove(a);                                          // now [c]
        assertThat(h.validated(d, X, BLOCKING, 0)).isFalse();
    }

    @Test
    void theTableStaysBoundedWhateverThePattern() {
        HeldLocks h = new HeldLocks();
        Object outer = new Object();
        h.push(outer, X);
        for (int i = 0; i < 20_000; i++) {
            Object inner = new Object();
            h.markValidated(inner, X, BLOCKING);
            h.push(inner, X);
            h.remove(inner);
            assertThat(h.cachedChains()).isLessThanOrEqualTo(1024);
        }
        Object again = new Object();
        h.markValidated(again, X, BLOCKING);
        assertThat(h.validated(again, X, BLOCKING, 0)).as("still caches after emptying").isTrue();
    }

    @Test
    void theCacheKeepsNoLockAlive() {
        HeldLocks h = new HeldLocks();
        Object outer = new Object();
        WeakReference<Object> gone = nestAndForget(h, outer);
        Await.until(() -> {
            System.gc();
            return gone.get() == null;
        }, "the inner lock to be collected");
        assertThat(h.size).isEqualTo(1);
    }

    private static WeakReference<Object> nestAndForget(HeldLocks h, Object outer) {
        h.push(outer, X);
        Object inner = new Object();
        h.markValidated(inner, X, BLOCKING);
        h.push(inner, X);
        h.remove(inner);
        return new WeakReference<>(inner);
    }
}
