package io.lockstep.cli.tour;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Select;
import io.lockstep.lockfree.MsQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The tour's channel and lock-free scenarios. */
public final class ChannelScenarios implements ScenarioGroup {

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "mpsc-channel",
                        "a thread sends \"Hello from thread\"; main receives it (Rust's mpsc example)",
                        ChannelScenarios::mpsc),
                Scenario.of(
                        "producer-consumer",
                        "bounded channel, 2 producers, 2 consumers, close ends the consumers",
                        ChannelScenarios::producerConsumer),
                Scenario.of(
                        "select",
                        "one consumer selects over two producers, with a timeout case",
                        ChannelScenarios::select),
                Scenario.of(
                        "worker-pool",
                        "a job channel feeding 4 workers; results counted on a second channel",
                        ChannelScenarios::workerPool),
                Scenario.of(
                        "lock-free-queue",
                        "4 threads push into a Michael-Scott queue, then it is drained (SegQueue example)",
                        ChannelScenarios::lockFreeQueue));
    }

    private static String mpsc() throws Exception {
        Channel<String> channel = Channel.unbounded();
        Thread t =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        channel.send("Hello from thread");
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        String received = channel.recv();
        t.join();
        Check.equal("Hello from thread", received, "received");
        return "Received: " + received;
    }

    private static String producerConsumer() throws Exception {
        Channel<Integer> channel = Channel.bounded(8);
        int perProducer = 1_000;
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int base = p * perProducer;
            producers.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            for (int i = 0; i < perProducer; i++)
                                                channel.send(base + i);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
        }
        BitSet seen = new BitSet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            consumers.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        for (int item : channel) {
                                            synchronized (
                                                    seen) { // guards the BitSet only; never blocks
                                                // inside
                                                if (seen.get(item)) duplicates.incrementAndGet();
                                                seen.set(item);
                                            }
                                        }
                                    }));
        }
        for (Thread t : producers) t.join();
        channel.close();
        for (Thread t : consumers) t.join();
        Check.equal(0, duplicates.get(), "duplicates");
        Check.equal(2 * perProducer, seen.cardinality(), "distinct items received");
        return "2000 items, each received exactly once; consumers ended on close";
    }

    private static String select() throws Exception {
        Channel<String> fast = Channel.bounded(4), slow = Channel.rendezvous();
        Thread a = Thread.ofVirtual().start(() -> sendAll(fast, "fast", 20));
        Thread b = Thread.ofVirtual().start(() -> sendAll(slow, "slow", 20));
        int fromFast = 0, fromSlow = 0, timeouts = 0;
        boolean fastOpen = true, slowOpen = true;
        while (fastOpen || slowOpen) {
            Select<String> select = new Select<>();
            if (fastOpen) select.recv(fast, v -> "fast", () -> "fast closed");
            if (slowOpen) select.recv(slow, v -> "slow", () -> "slow closed");
            switch (select.select(Duration.ofMillis(50), () -> "timeout")) {
                case "fast" -> fromFast++;
                case "slow" -> fromSlow++;
                case "fast closed" -> fastOpen = false;
                case "slow closed" -> slowOpen = false;
                default -> timeouts++;
            }
        }
        a.join();
        b.join();
        Check.equal(20, fromFast, "messages from the fast producer");
        Check.equal(20, fromSlow, "messages from the slow producer");
        return "received 20 + 20 messages through one select ("
                + timeouts
                + " timeouts while idle)";
    }

    private static void sendAll(Channel<String> channel, String what, int n) {
        try {
            for (int i = 0; i < n; i++) channel.send(what + i);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.close();
        }
    }

    private static String workerPool() throws Exception {
        Channel<Integer> jobs = Channel.bounded(16);
        Channel<Integer> results = Channel.unbounded();
        int workers = 4, n = 500;
        List<Thread> pool = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            pool.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            for (int job : jobs) results.send(job * 2);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
        }
        for (int i = 1; i <= n; i++) jobs.send(i);
        jobs.close();
        for (Thread t : pool) t.join();
        results.close();
        long count = 0, sum = 0;
        for (int r : results) {
            count++;
            sum += r;
        }
        Check.equal((long) n, count, "results");
        Check.equal((long) n * (n + 1), sum, "sum of doubled job numbers");
        return workers + " workers completed " + n + " jobs; every result counted once";
    }

    private static String lockFreeQueue() throws Exception {
        MsQueue<Integer> queue = new MsQueue<>();
        int threads = 4, per = 1_000;
        List<Thread> pushers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * per;
            pushers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        for (int i = 0; i < per; i++) queue.offer(base + i);
                                    }));
        }
        for (Thread t : pushers) t.join();
        BitSet seen = new BitSet();
        int count = 0;
        for (Integer v; (v = queue.poll()) != null; count++) seen.set(v);
        Check.equal(threads * per, count, "popped");
        Check.equal(threads * per, seen.cardinality(), "distinct values");
        return threads + " threads pushed " + threads * per + " values; all popped once";
    }
}
