package io.lockstep.zookeeper;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What an {@link Acquisition} needs to know about the primitive it queues for: where the line is,
 * when a place in it is a grant, and what guard a grant makes.
 *
 * @param <G> the guard a grant makes
 */
interface Recipe<G extends FencedGuard> {
    /** {@link #blocker}'s answer when the request is granted now. */
    int GRANTED = -1;
    /** {@link #blocker}'s answer when any change of the line may grant the request. */
    int WATCH_LINE = -2;

    /** The parent of the queue nodes. */
    String path();

    /** What the request waits for, for messages: "lock orders". */
    String describe();

    /**
     * Given the line (queue nodes in order) and the request's index in it: {@link #GRANTED}, the
     * index of the one node whose deletion may grant it, or {@link #WATCH_LINE}.
     */
    int blocker(List<String> line, int at);

    /**
     * The parent of the slot nodes, when a grant must also claim one of {@link #slots()} slots
     * (whose node is then the token node); null when the queue node itself is the token node.
     */
    default String slotPath() {
        return null;
    }

    /** How many slots there are; only with a {@link #slotPath()}. */
    default int slots() {
        return 0;
    }

    /**
     * The fencing token of a grant whose token node has {@code czxid}: that czxid itself, unless
     * the recipe derives it (a read lock) or must record it first (a write lock).
     */
    default CompletableFuture<Long> token(long czxid) {
        return CompletableFuture.completedFuture(czxid);
    }

    /** The guard for a grant: {@code tokenNode} is the queue node, or the slot node {@code slot}. */
    G guard(String tokenNode, String queueNode, int slot);

    /**
     * The mutex's recipe: the first in line is granted, a waiter watches only its predecessor (no
     * herd on release); the queue node is the token node. {@code guard} makes the guard from it.
     */
    static <G extends FencedGuard> Recipe<G> firstInLine(String path, String describe, Function<String, G> guard) {
        return new Recipe<>() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public String describe() {
                return describe;
            }

            @Override
            public int blocker(List<String> line, int at) {
                return at == 0 ? GRANTED : at - 1;
            }

            @Override
            public G guard(String tokenNode, String queueNode, int slot) {
                return guard.apply(tokenNode);
            }
        };
    }
}
