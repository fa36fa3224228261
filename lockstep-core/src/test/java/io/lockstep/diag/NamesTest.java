package io.lockstep.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.channel.Broadcast;
import io.lockstep.channel.Channel;
import io.lockstep.channel.Oneshot;
import io.lockstep.channel.Select;
import io.lockstep.channel.Watch;
import io.lockstep.lock.Condvar;
import io.lockstep.lock.Monitor;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawRwLock;
import io.lockstep.lock.ReentrantMutex;
import io.lockstep.lock.RwLock;
import io.lockstep.park.Parker;
import io.lockstep.spin.ClhLock;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import io.lockstep.spin.TtasLock;
import io.lockstep.stm.TVar;
import io.lockstep.sync.AutoResetEvent;
import io.lockstep.sync.Barrier;
import io.lockstep.sync.Event;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Notify;
import io.lockstep.sync.Once;
import io.lockstep.sync.OnceCell;
import io.lockstep.sync.Semaphore;
import io.lockstep.sync.WaitGroup;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every primitive takes a name the same way, and shows it (issue 16). */
class NamesTest {
    /** One of each primitive the issue lists, fresh each time. */
    static List<Supplier<Object>> primitives() {
        return List.of(RawMutex::new, ReentrantMutex::new, () -> Mutex.of(1), RawRwLock::new, () -> RwLock.of(1),
                Condvar::new, Monitor::new, () -> new Semaphore(2), () -> new Barrier(2), () -> new Latch(1),
                WaitGroup::new, Event::new, AutoResetEvent::new, Notify::new, TasLock::new, TtasLock::new,
                TicketLock::new, McsLock::new, ClhLock::new, SpinRwLock::new, () -> Channel.bounded(1),
                Channel::unbounded, Channel::rendezvous, Once::new, OnceCell::new, Parker::new,
                Oneshot::new, () -> new Broadcast<>(4), () -> new Watch<>(1), Select::new, () -> new TVar<>(1));
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        Method m = args.length == 0 ? target.getClass().getMethod(method) : target.getClass().getMethod(method, String.class);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @ParameterizedTest
    @MethodSource("primitives")
    void namedReturnsThePrimitiveAndEveryToStringShowsTheName(Supplier<Object> make) throws Throwable {
        Object p = make.get();
        assertThat(call(p, "name")).isNull();
        assertThat(call(p, "named", "orders")).isSameAs(p);
        assertThat(call(p, "name")).isEqualTo("orders");
        assertThat(p.toString()).startsWith(p.getClass().getSimpleName() + " \"orders\"");
        assertThat(call(p, "named", "orders")).as("the same name again is harmless").isSameAs(p);
    }

    @ParameterizedTest
    @MethodSource("primitives")
    void badNamesAreRefusedAndASecondNameToo(Supplier<Object> make) throws Throwable {
        Object p = make.get();
        assertThatThrownBy(() -> call(p, "named", (Object) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> call(p, "named", " ")).isInstanceOf(IllegalArgumentException.class);
        call(p, "named", "first");
        assertThatThrownBy(() -> call(p, "named", "second")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"first\"");
        assertThat(call(p, "name")).isEqualTo("first");
    }

    @Test
    void unnamedPrimitivesShowTheirTypeAndIdentity() {
        RawMutex m = new RawMutex();
        assertThat(m.toString()).isEqualTo("RawMutex@" + Integer.toHexString(System.identityHashCode(m)) + "[unlocked]");
        assertThat(new Semaphore(1).toString()).startsWith("Semaphore@");
        assertThat(Channel.bounded(4).toString()).startsWith("Channel[");
    }

    @Test
    void aWrapperNamesTheLockItsThreadsParkOn() {
        Mutex<Integer> counter = Mutex.of(0).named("counter");
        assertThat(counter.rawLock().toString()).startsWith("RawMutex \"counter\"");
        assertThat(counter.toString()).startsWith("Mutex \"counter\"[RawMutex \"counter\"");

        RawMutex shared = new RawMutex().named("shared");
        assertThat(Mutex.of(shared, 1).named("one").rawLock().toString())
                .as("a lock that has a name keeps it").startsWith("RawMutex \"shared\"");
    }

    @Test
    void namesDoNotKeepPrimitivesAlive() throws Exception {
        java.lang.ref.WeakReference<RawMutex> ref = new java.lang.ref.WeakReference<>(new RawMutex().named("gone"));
        io.lockstep.testing.Await.until(() -> {
            System.gc();
            return ref.get() == null;
        }, "the named mutex is collected");
    }
}
