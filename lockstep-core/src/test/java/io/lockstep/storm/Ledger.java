package io.lockstep.storm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What went in and what came out of a storm, by message id: each id must end up exactly once
 * either delivered (received by someone) or refused (handed back to its sender, e.g. by a closed
 * channel). Anything else is a lost or a duplicated message.
 */
final class Ledger {
    private final int size;
    private final AtomicIntegerArray delivered, refused;
    private final AtomicInteger deliveredCount = new AtomicInteger(), refusedCount = new AtomicInteger();

    Ledger(int size) {
        this.size = size;
        this.delivered = new AtomicIntegerArray(size);
        this.refused = new AtomicIntegerArray(size);
    }

    int size() {
        return size;
    }

    /** Records that a receiver got {@code id}. */
    void delivered(int id) {
        delivered.incrementAndGet(id);
        deliveredCount.incrementAndGet();
    }

    /** Records that {@code id} was handed back to its sender for good. */
    void refused(int id) {
        refused.incrementAndGet(id);
        refusedCount.incrementAndGet();
    }

    int deliveredCount() {
        return deliveredCount.get();
    }

    /** Delivered plus refused: once it reaches {@link #size()}, every id is accounted for (if none twice). */
    int settled() {
        return deliveredCount.get() + refusedCount.get();
    }

    /** Fails listing the first lost and duplicated ids, if any. */
    void verify() {
        List<Integer> lost = new ArrayList<>(), duplicated = new ArrayList<>();
        int lostCount = 0, duplicatedCount = 0;
        for (int i = 0; i < size; i++) {
            int n = delivered.get(i) + refused.get(i);
            if (n == 0 && lostCount++ < 10) lost.add(i);
            if (n > 1 && duplicatedCount++ < 10) duplicated.add(i);
        }
        if (lostCount + duplicatedCount > 0) {
            throw new AssertionError(lostCount + " ids lost " + lost + ", " + duplicatedCount + " ids delivered twice "
                    + duplicated + " (of " + size + "; delivered " + deliveredCount + ", refused " + refusedCount + ")");
        }
    }
}
