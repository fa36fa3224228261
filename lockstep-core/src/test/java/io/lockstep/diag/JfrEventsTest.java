package io.lockstep.diag;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Select;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawRwLock;
import io.lockstep.rcu.Rcu;
import io.lockstep.rcu.RcuReadGuard;
import io.lockstep.spin.TasLock;
import io.lockstep.stm.Stm;
import io.lockstep.stm.TVar;
import io.lockstep.sync.Barrier;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Semaphore;
import io.lockstep.testing.Await;
import io.lockstep.testing.JfrRecording;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lockstep's JFR events, recorded in-process with the shipped {@code lockstep.jfc} (20 ms
 * thresholds) and read back from the file (issue 16): each family's wait carries the
 * primitive's name and identity, the waiting thread, the holder where there is one, and a
 * duration over the threshold. Deadlock and lock-order events are in the deadlock package's
 * tests (they need a deadlock, and tracking compiled in).
 */
@Timeout(60)
class JfrEventsTest {
    /** How long each holder keeps its waiter parked: well over the 20 ms threshold. */
    private static final long HOLD_MS = 60;

    /** The one event of {@code type} about the primitive named {@code name}. */
    static RecordedEvent only(List<RecordedEvent> events, String type, String name) {
        List<RecordedEvent> found = events.stream()
                .filter(e -> e.getEventType().getName().equals(type) && name.equals(e.getString("name"))).toList();
        assertThat(found).as(type + " about \"" + name + "\" in " + events).hasSize(1);
        return found.get(0);
    }

    /** Starts {@code body} on a thread named {@code name} and waits until it parks. */
    private static TestThread parked(String name, TestThread.Body body) {
        TestThread t = TestThread.start(name, body);
        Await.until(() -> LockSupport.getBlocker(t.thread()) != null || !t.isAlive(), name + " parks");
        return t;
    }

    /** Keeps the parked waiter waiting well past the threshold, then lets it go. */
    private static void holdThenRelease(TestThread waiter, Runnable release) throws Throwable {
        Thread.sleep(HOLD_MS);
        release.run();
        waiter.joinAndRethrow();
    }

    private static void assertWaited(RecordedEvent e, Object primitive, String thread) {
        assertThat(e.getString("primitive")).isEqualTo(primitive.getClass().getSimpleName() + " \"" + e.getString("name") + "\"");
        assertThat(e.getInt("identity")).isEqualTo(System.identityHashCode(primitive));
        assertThat(e.getClass("primitiveClass").getName()).isEqualTo(primitive.getClass().getName());
        assertThat(e.getThread().getJavaName()).isEqualTo(thread);
        assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(e.getStackTrace()).as("stack traces are on in lockstep.jfc").isNotNull();
    }

    @Test
    void contendedLocksAndSemaphoresAreRecordedWithTheirHolders() throws Throwable {
        RawMutex orders = new RawMutex().named("orders");
        RawRwLock routes = new RawRwLock().named("routes");
        TasLock stats = new TasLock().named("stats");
        Semaphore pool = new Semaphore(0).named("pool");
        String me = Thread.currentThread().getName();

        List<RecordedEvent> events = JfrRecording.record(JfrRecording.lockstepSettings(), () -> {
            orders.lock();
            holdThenRelease(parked("orders-waiter", () -> {
                orders.lock();
                orders.unlock();
            }), orders::unlock);
            routes.writeLock().lock();
            holdThenRelease(parked("routes-waiter", () -> {
                routes.writeLock().lock();
                routes.writeLock().unlock();
            }), routes.writeLock()::unlock);
            stats.lock();
            holdThenRelease(parked("stats-waiter", () -> {
                stats.lock();
                stats.unlock();
            }), stats::unlock);
            holdThenRelease(parked("pool-waiter", () -> pool.acquire().close()), pool::release);
        });

        RecordedEvent mutex = only(events, "io.lockstep.ContendedAcquire", "orders");
        assertWaited(mutex, orders, "orders-waiter");
        assertThat(mutex.getString("mode")).isEqualTo("exclusive");
        assertThat(mutex.getThread("holder").getJavaName()).isEqualTo(me);
        assertThat(mutex.getString("outcome")).isEqualTo("acquired");

        RecordedEvent rw = only(events, "io.lockstep.ContendedAcquire", "routes");
        assertWaited(rw, routes, "routes-waiter");
        assertThat(rw.getString("mode")).isEqualTo("write");
        assertThat(rw.getThread("holder").getJavaName()).isEqualTo(me);

        RecordedEvent spin = only(events, "io.lockstep.ContendedAcquire", "stats");
        assertWaited(spin, stats, "stats-waiter");
        assertThat(spin.getThread("holder").getJavaName()).isEqualTo(me);

        RecordedEvent permits = only(events, "io.lockstep.ContendedAcquire", "pool");
        assertWaited(permits, pool, "pool-waiter");
        assertThat(permits.getString("mode")).isEqualTo("1 permit");
        assertThat(permits.getThread("holder")).as("a semaphore has no holder").isNull();
    }

    @Test
    void channelGateStmAndRcuWaitsAreRecorded() throws Throwable {
        Channel<String> jobs = Channel.<String>bounded(1).named("jobs");
        Channel<String> results = Channel.<String>unbounded().named("results");
        Latch ready = new Latch(1).named("ready");
        Barrier phase = new Barrier(2).named("phase");
        Rcu<String> config = new Rcu<>("v1").named("config");
        TVar<Integer> balance = new TVar<>(0);

        List<RecordedEvent> events = JfrRecording.record(JfrRecording.lockstepSettings(), () -> {
            holdThenRelease(parked("jobs-waiter", jobs::recv), () -> {
                try {
                    jobs.send("a");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Select<String> select = new Select<String>().recv(jobs, v -> v).recv(results, v -> v);
            holdThenRelease(parked("select-waiter", select::select), () -> results.trySend("b"));
            holdThenRelease(parked("ready-waiter", ready::await), ready::countDown);
            holdThenRelease(parked("phase-waiter", phase::await), () -> {
                try {
                    phase.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            holdThenRelease(parked("retry-waiter", () -> Stm.atomically(txn -> balance.get() > 0 ? balance.get() : Stm.retry())),
                    () -> balance.set(5));
            TestThread reader = TestThread.start("config-reader", () -> {
                try (RcuReadGuard<String> g = config.readLock()) {
                    Thread.sleep(HOLD_MS);
                }
            });
            Await.until(() -> reader.thread().getState() == Thread.State.TIMED_WAITING, "the reader is inside");
            config.update(v -> "v2");
            config.synchronize();
            reader.joinAndRethrow();
        });

        RecordedEvent recv = only(events, "io.lockstep.ChannelWait", "jobs");
        assertWaited(recv, jobs, "jobs-waiter");
        assertThat(recv.getString("operation")).isEqualTo("recv");
        assertThat(recv.getString("outcome")).isEqualTo("done");

        RecordedEvent selected = events.stream().filter(e -> e.getEventType().getName().equals("io.lockstep.ChannelWait")
                && "select".equals(e.getString("operation"))).findFirst().orElseThrow();
        assertThat(selected.getString("primitive")).contains("recv Channel \"jobs\"", "recv Channel \"results\"");
        assertThat(selected.getThread().getJavaName()).isEqualTo("select-waiter");

        assertWaited(only(events, "io.lockstep.SyncWait", "ready"), ready, "ready-waiter");
        assertWaited(only(events, "io.lockstep.SyncWait", "phase"), phase, "phase-waiter");

        RecordedEvent retry = events.stream().filter(e -> e.getEventType().getName().equals("io.lockstep.StmRetry"))
                .findFirst().orElseThrow();
        assertThat(retry.getThread().getJavaName()).isEqualTo("retry-waiter");
        assertThat(retry.getString("outcome")).isEqualTo("woken");
        assertThat(retry.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));

        RecordedEvent grace = only(events, "io.lockstep.RcuGracePeriod", "config");
        assertThat(grace.getString("primitive")).isEqualTo("Rcu \"config\"");
        assertThat(grace.getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());
        assertThat(grace.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void theEventsAreOffUnlessARecordingTurnsThemOn() throws Throwable {
        RawMutex quiet = new RawMutex().named("quiet");
        List<RecordedEvent> events = JfrRecording.record(Configuration.getConfiguration("default"), () -> {
            quiet.lock();
            holdThenRelease(parked("quiet-waiter", () -> {
                quiet.lock();
                quiet.unlock();
            }), quiet::unlock);
        });
        assertThat(events).as("the JDK's default settings do not list Lockstep's events").isEmpty();
    }
}
