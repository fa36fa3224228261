package io.lockstep.bench.channel;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Select;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * crossbeam-channel's benchmark shape: a fixed number of messages from P producers to C
 * consumers through one channel, score in ns per message, for platform and virtual threads.
 * Every implementation runs in the same run through {@code @Param("impl")}, spelled
 * {@code <kind>/<impl>} so that only meaningful pairs are generated.
 *
 * <pre>
 * java -jar lockstep-bench/target/benchmarks.jar ChannelBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 * Targets (2 cores): bounded >= 1.5x abq and >= 2x jox; unbounded >= 1.2x ltq; rendezvous >= 2x
 * sq and jox; select2 >= 2x jox.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ChannelBench {
    static final int MESSAGES = 20_000;

    @Param({"bounded/lockstep", "bounded/abq", "bounded/lbq", "bounded/jox", "bounded/jctools",
            "unbounded/lockstep", "unbounded/lbq", "unbounded/ltq", "unbounded/jox",
            "rendezvous/lockstep", "rendezvous/sq", "rendezvous/jox",
            "select2/lockstep", "select2/jox"})
    public String impl;

    /** Producers and consumers, {@code <n>P<n>C}; any counts work (the scaling run uses 8P8C). */
    @Param({"1P1C", "4P4C"})
    public String shape;

    @Param({"platform", "virtual"})
    public String threads;

    private int producers, consumers;
    private boolean select2;

    /** The adapter every implementation is driven through. */
    interface Chan {
        void send(Integer v) throws InterruptedException;

        Integer recv() throws InterruptedException;
    }

    /** Two channels and a receive that selects over both. */
    interface Pair {
        Chan first();

        Chan second();

        Integer recvEither() throws InterruptedException;
    }

    @Setup
    public void setup() {
        Matcher m = Pattern.compile("(\\d+)P(\\d+)C").matcher(shape);    // e.g. 8P8C
        if (!m.matches()) throw new IllegalArgumentException("shape must be <n>P<n>C: " + shape);
        producers = Integer.parseInt(m.group(1));
        consumers = Integer.parseInt(m.group(2));
        select2 = impl.startsWith("select2/");
    }

    static Chan make(String impl) {
        return switch (impl) {
            case "bounded/lockstep" -> lockstep(Channel.bounded(1024));
            case "unbounded/lockstep" -> lockstep(Channel.unbounded());
            case "rendezvous/lockstep" -> lockstep(Channel.rendezvous());
            case "bounded/abq" -> queue(new ArrayBlockingQueue<>(1024));
            case "bounded/lbq" -> queue(new LinkedBlockingQueue<>(1024));
            case "unbounded/lbq" -> queue(new LinkedBlockingQueue<>());
            case "unbounded/ltq" -> queue(new LinkedTransferQueue<>());
            case "rendezvous/sq" -> queue(new SynchronousQueue<>());
            case "bounded/jox" -> jox(com.softwaremill.jox.Channel.newBufferedChannel(1024));
            case "unbounded/jox" -> jox(com.softwaremill.jox.Channel.newUnlimitedChannel());
            case "rendezvous/jox" -> jox(com.softwaremill.jox.Channel.newRendezvousChannel());
            case "bounded/jctools" -> jctools(new MpmcArrayQueue<>(1024));
            default -> throw new IllegalArgumentException(impl);
        };
    }

    static Chan lockstep(Channel<Integer> ch) {
        return new Chan() {
            public void send(Integer v) throws InterruptedException {
                ch.send(v);
            }

            public Integer recv() throws InterruptedException {
                return ch.recv();
            }
        };
    }

    static Chan queue(BlockingQueue<Integer> q) {
        return new Chan() {
            public void send(Integer v) throws InterruptedException {
                q.put(v);
            }

            public Integer recv() throws InterruptedException {
                return q.take();
            }
        };
    }

    static Chan jox(com.softwaremill.jox.Channel<Integer> ch) {
        return new Chan() {
            public void send(Integer v) throws InterruptedException {
                ch.send(v);
            }

            public Integer recv() throws InterruptedException {
                return ch.receive();
            }
        };
    }

    /**
     * JCTools has no blocking: spin, then yield, then sleep briefly (JCTools' back-off idiom). The
     * sleep matters on virtual threads: a virtual thread that only yields stays runnable, and a
     * few of them can keep their peers off every carrier for good (the run hangs).
     */
    static Chan jctools(MpmcArrayQueue<Integer> q) {
        return new Chan() {
            public void send(Integer v) {
                for (int i = 0; !q.offer(v); i++) backOff(i);
            }

            public Integer recv() {
                Integer v;
                for (int i = 0; (v = q.poll()) == null; i++) backOff(i);
                return v;
            }
        };
    }

    private static void backOff(int attempt) {
        if (attempt < 100) Thread.onSpinWait();
        else if (attempt < 200) Thread.yield();
        else LockSupport.parkNanos(10_000);
    }

    static Pair pair(String impl) {
        if (impl.equals("select2/lockstep")) {
            Channel<Integer> a = Channel.bounded(1024), b = Channel.bounded(1024);
            Select<Integer> select = new Select<Integer>().recv(a, v -> v).recv(b, v -> v);
            return new Pair() {
                public Chan first() {
                    return lockstep(a);
                }

                public Chan second() {
                    return lockstep(b);
                }

                public Integer recvEither() throws InterruptedException {
                    return select.select();
                }
            };
        }
        com.softwaremill.jox.Channel<Integer> a = com.softwaremill.jox.Channel.newBufferedChannel(1024);
        com.softwaremill.jox.Channel<Integer> b = com.softwaremill.jox.Channel.newBufferedChannel(1024);
        return new Pair() {
            public Chan first() {
                return jox(a);
            }

            public Chan second() {
                return jox(b);
            }

            public Integer recvEither() throws InterruptedException {
                return com.softwaremill.jox.Select.select(a.receiveClause(), b.receiveClause());
            }
        };
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long transfer() throws Exception {
        Chan[] targets;
        Chan source;
        Pair p = null;
        if (select2) {
            p = pair(impl);
            targets = new Chan[] {p.first(), p.second()};
            source = null;
        } else {
            source = make(impl);
            targets = new Chan[] {source};
        }
        Pair selectPair = p;
        List<Thread> all = new ArrayList<>();
        long[] sums = new long[consumers];
        int perProducer = MESSAGES / producers, perConsumer = MESSAGES / consumers;
        for (int i = 0; i < producers; i++) {
            Chan target = targets[i % targets.length];
            all.add(start(() -> {
                for (int m = 0; m < perProducer; m++) target.send(m);
            }));
        }
        for (int i = 0; i < consumers; i++) {
            int c = i;
            all.add(start(() -> {
                long sum = 0;
                for (int m = 0; m < perConsumer; m++) sum += selectPair != null ? selectPair.recvEither() : source.recv();
                sums[c] = sum;
            }));
        }
        for (Thread t : all) t.join();
        long total = 0;
        for (long s : sums) total += s;
        return total;
    }

    interface Body {
        void run() throws Exception;
    }

    private Thread start(Body body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return threads.equals("virtual") ? Thread.ofVirtual().start(r) : Thread.ofPlatform().start(r);
    }
}
