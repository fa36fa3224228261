package io.lockstep.bench.zookeeper;

import io.lockstep.zookeeper.Coordinator;
import io.lockstep.zookeeper.DistributedMutex;
import io.lockstep.zookeeper.DistributedMutexGuard;
import io.lockstep.zookeeper.EmbeddedEnsemble;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncontended lock/unlock of a distributed mutex on a one-server embedded ZooKeeper, Lockstep's
 * {@code DistributedMutex} beside Curator's {@code InterProcessMutex}, one run. Both take the same
 * round trips to lock (create, list; Lockstep adds one {@code exists} that reads the fencing
 * token and watches its node); Curator's release waits for the delete, Lockstep's sends it and
 * returns (the next lock's create follows it on the same session, which ZooKeeper executes in
 * order). Target (issue 17): lockstep ≥ 1.0× curator.
 *
 * <pre>java -jar lockstep-bench/target/benchmarks.jar ZkBench -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@BenchmarkMode({Mode.Throughput})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ZkBench {
    @Param({"lockstep", "curator"})
    public String impl;

    private EmbeddedEnsemble ensemble;
    private Coordinator coordinator;
    private DistributedMutex mutex;
    private CuratorFramework curator;
    private InterProcessMutex curatorMutex;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        ensemble = EmbeddedEnsemble.start(1);
        if (impl.equals("lockstep")) {
            coordinator = Coordinator.connect(ensemble.connectString());
            mutex = coordinator.mutex("bench");
        } else {
            curator = CuratorFrameworkFactory.newClient(ensemble.connectString(), new ExponentialBackoffRetry(100, 3));
            curator.start();
            if (!curator.blockUntilConnected(10, TimeUnit.SECONDS)) throw new IllegalStateException("no connection");
            curatorMutex = new InterProcessMutex(curator, "/curator/mutex/bench");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (coordinator != null) coordinator.close();
        if (curator != null) curator.close();
        ensemble.close();
    }

    @Benchmark
    public long lockUnlock() throws Exception {
        if (mutex != null) {
            try (DistributedMutexGuard g = mutex.lock()) {
                return g.token();
            }
        }
        curatorMutex.acquire();
        curatorMutex.release();
        return 0;
    }
}
