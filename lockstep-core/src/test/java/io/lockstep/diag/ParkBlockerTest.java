package io.lockstep.diag;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Select;
import io.lockstep.lock.Condvar;
import io.lockstep.lock.Monitor;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawRwLock;
import io.lockstep.lock.ReentrantMutex;
import io.lockstep.spin.ClhLock;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import io.lockstep.spin.TtasLock;
import io.lockstep.sync.AutoResetEvent;
import io.lockstep.sync.Barrier;
import io.lockstep.sync.Event;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Notify;
import io.lockstep.sync.Semaphore;
import io.lockstep.sync.SemaphoreClosedException;
import io.lockstep.sync.WaitGroup;
import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread parked in Lockstep shows the primitive it waits for as its park blocker
 * ({@code LockSupport.getBlocker}, what jstack prints as "parking to wait for" and JMC shows),
 * not an internal node, one of a read-write lock's views, or a channel's wait context (issue 16).
 */
@Timeout(30)
class ParkBlockerTest {
    /** Starts {@code body} and waits until it parks (spin locks spin and yield first). */
    private static TestThread parked(TestThread.Body body) {
        TestThread t = TestThread.start("waiter", body);
        Await.until(() -> LockSupport.getBlocker(t.thread()) != null || !t.isAlive(), "the waiter parks");
        return t;
    }

    private static Object blocker(TestThread t) {
        return LockSupport.getBlocker(t.thread());
    }

    static Stream<Supplier<Lock>> locks() {
        return Stream.of(RawMutex::new, ReentrantMutex::new, TasLock::new, TtasLock::new, TicketLock::new,
                McsLock::new, ClhLock::new);
    }

    @ParameterizedTest
    @MethodSource("locks")
    void aLockWaiterShowsTheLock(Supplier<Lock> make) throws Exception {
        Lock lock = make.get();
        lock.lock();
        TestThread t = parked(() -> {
            lock.lock();
            lock.unlock();
        });
        assertThat(blocker(t)).isSameAs(lock);
        lock.unlock();
        t.joinAndRethrow();
    }

    @Test
    void aQueuedSpinLockWaiterShowsTheLockNotItsPlaceInLine() throws Exception {
        // The second waiter of a queue lock parks on its predecessor's node or ticket slot.
        for (Lock lock : new Lock[] {new TicketLock(), new McsLock(), new ClhLock()}) {
            lock.lock();
            TestThread first = parked(() -> {
                lock.lock();
                lock.unlock();
            });
            TestThread second = parked(() -> {
                lock.lock();
                lock.unlock();
            });
            assertThat(blocker(first)).as(lock.getClass().getSimpleName()).isSameAs(lock);
            assertThat(blocker(second)).as(lock.getClass().getSimpleName()).isSameAs(lock);
            lock.unlock();
            first.joinAndRethrow();
            second.joinAndRethrow();
        }
    }

    @Test
    void aMutexWaiterShowsItsNamedLock() throws Exception {
        Mutex<Integer> m = Mutex.of(0).named("counter");
        TestThread t;
        try (MutexGuard<Integer> g = m.lock()) {
            t = parked(() -> m.lock().close());
            assertThat(blocker(t)).isSameAs(m.rawLock());
            assertThat(blocker(t).toString()).startsWith("RawMutex \"counter\"");
        }
        t.joinAndRethrow();
    }

    @Test
    void everyReadWriteLockWaitShowsTheLockNotItsViews() throws Exception {
        RawRwLock rw = new RawRwLock().named("routes");
        rw.writeLock().lock();
        TestThread reader = parked(() -> {
            rw.readLock().lock();
            rw.readLock().unlock();
        });
        TestThread writer = parked(() -> {                    // parks on the write view
            rw.writeLock().lock();
            rw.writeLock().unlock();
        });
        assertThat(blocker(reader)).isSameAs(rw);
        assertThat(blocker(writer)).isSameAs(rw);
        rw.writeLock().unlock();
        reader.joinAndRethrow();
        writer.joinAndRethrow();

        rw.readLock().lock();
        TestThread drainer = parked(() -> {                   // holds WRITER, waits on the read view
            rw.writeLock().lock();
            rw.writeLock().unlock();
        });
        assertThat(blocker(drainer)).isSameAs(rw);
        assertThat(blocker(drainer).toString()).startsWith("RawRwLock \"routes\"");
        rw.readLock().unlock();
        drainer.joinAndRethrow();

        SpinRwLock spin = new SpinRwLock();
        spin.writeLock().lock();
        TestThread spinReader = parked(() -> {
            spin.readLock().lock();
            spin.readLock().unlock();
        });
        assertThat(blocker(spinReader)).isSameAs(spin);
        spin.writeLock().unlock();
        spinReader.joinAndRethrow();
    }

    @Test
    void conditionAndMonitorWaitersShowThePrimitive() throws Exception {
        Mutex<Boolean> flag = Mutex.of(false);
        Condvar changed = new Condvar().named("flag-changed");
        TestThread t = parked(() -> {
            try (MutexGuard<Boolean> g = flag.lock()) {
                changed.awaitWhile(g, f -> !f);
            }
        });
        assertThat(blocker(t)).isSameAs(changed);
        flag.update(f -> true);
        changed.notifyAllWaiters();
        t.joinAndRethrow();

        Monitor monitor = new Monitor().named("buffer");
        monitor.enter();
        TestThread entering = parked(() -> {
            monitor.enter();
            monitor.leave();
        });
        assertThat(blocker(entering).toString()).startsWith("ReentrantMutex \"buffer\"");
        monitor.leave();
        entering.joinAndRethrow();
    }

    @Test
    void aSemaphoreWaiterShowsTheSemaphoreNotItsQueueNode() throws Exception {
        Semaphore s = new Semaphore(0).named("db-connections");
        TestThread t = parked(() -> {
            try {
                s.acquire().close();
            } catch (SemaphoreClosedException expected) {
                // closed below: the wait ends
            }
        });
        assertThat(blocker(t)).isSameAs(s);
        s.close();
        t.joinAndRethrow();
    }

    @Test
    void gateWaitersShowTheGate() throws Exception {
        Barrier barrier = new Barrier(2);
        TestThread atBarrier = parked(barrier::await);       // parks on its generation
        assertThat(blocker(atBarrier)).isSameAs(barrier);
        barrier.await();
        atBarrier.joinAndRethrow();

        Latch latch = new Latch(1);
        TestThread atLatch = parked(latch::await);
        assertThat(blocker(atLatch)).isSameAs(latch);
        latch.countDown();
        atLatch.joinAndRethrow();

        WaitGroup group = new WaitGroup();
        group.add(1);
        TestThread atGroup = parked(group::await);
        assertThat(blocker(atGroup)).isSameAs(group);
        group.done();
        atGroup.joinAndRethrow();

        Event event = new Event();
        TestThread atEvent = parked(event::await);
        assertThat(blocker(atEvent)).isSameAs(event);
        event.set();
        atEvent.joinAndRethrow();

        Notify notify = new Notify();
        TestThread atNotify = parked(notify::await);
        assertThat(blocker(atNotify)).isSameAs(notify);
        notify.notifyOne();
        atNotify.joinAndRethrow();

        AutoResetEvent auto = new AutoResetEvent().named("work");
        TestThread atAuto = parked(auto::await);
        assertThat(blocker(atAuto).toString()).startsWith("Notify \"work\"");
        auto.set();
        atAuto.joinAndRethrow();
    }

    @Test
    void channelWaitersShowTheChannelOrTheSelect() throws Exception {
        Channel<String> jobs = Channel.<String>bounded(1).named("jobs");
        TestThread receiver = parked(jobs::recv);
        assertThat(blocker(receiver)).isSameAs(jobs);
        jobs.send("a");
        receiver.joinAndRethrow();

        Channel<String> handoff = Channel.rendezvous();
        TestThread sender = parked(() -> handoff.send("b"));
        assertThat(blocker(sender)).isSameAs(handoff);
        assertThat(handoff.recv()).isEqualTo("b");
        sender.joinAndRethrow();

        Channel<String> results = Channel.<String>unbounded().named("results");
        Select<String> select = new Select<String>().recv(jobs, v -> v).recv(results, v -> v);
        TestThread selecting = parked(select::select);
        assertThat(blocker(selecting)).isSameAs(select);
        assertThat(blocker(selecting).toString()).contains("recv Channel \"jobs\"", "recv Channel \"results\"");
        results.send("c");
        selecting.joinAndRethrow();
    }
}
