package io.lockstep.rcu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class QsbrRcuTest {

    @Test
    void smoke() {
        QsbrRcu<String> rcu = new QsbrRcu<>("a");
        try (QsbrReader<String> reader = rcu.register()) {
            assertThat(reader.isOnline()).isTrue();
            assertThat(reader.get()).isEqualTo("a");
            assertThat(rcu.update(s -> s + "b")).isEqualTo("a");
            reader.quiescentState();
            assertThat(reader.get()).isEqualTo("ab");
            rcu.synchronize();                                       // online caller: offline meanwhile
            rcu.barrier();
            assertThat(reader.isOnline()).isTrue();
        }
    }

    @Test
    void misuseThrowsClearly() throws Exception {
        QsbrRcu<String> rcu = new QsbrRcu<>("a");
        QsbrReader<String> reader = rcu.register();
        assertThatThrownBy(rcu::register).isInstanceOf(IllegalStateException.class);
        reader.offline();
        assertThatThrownBy(reader::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("offline");
        assertThatThrownBy(reader::quiescentState).isInstanceOf(IllegalStateException.class);
        reader.online();
        reader.online();                                             // already online: nothing
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                reader.get();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
        reader.close();
        reader.close();
        assertThatThrownBy(reader::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(reader::online).isInstanceOf(IllegalStateException.class);
        try (QsbrReader<String> again = rcu.register()) {              // may register again
            assertThat(again.get()).isEqualTo("a");
        }
    }

    @Test
    void synchronizeWaitsForAnOnlineReaderUntilItsQuiescentState() throws Exception {
        QsbrRcu<Integer> rcu = new QsbrRcu<>(1);
        CountDownLatch registered = new CountDownLatch(1), quiesce = new CountDownLatch(1);
        AtomicBoolean quiesced = new AtomicBoolean(), doneAfterQuiescence = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (QsbrReader<Integer> r = rcu.register()) {
                r.get();
                registered.countDown();
                RcuTest.await(quiesce);
                quiesced.set(true);
                r.quiescentState();
            }
        });
        registered.await();
        Thread writer = Thread.ofPlatform().start(() -> {
            rcu.update(v -> v + 1);
            rcu.synchronize();
            doneAfterQuiescence.set(quiesced.get());
        });
        RcuTest.awaitParkedOnSlot(rcu);
        quiesce.countDown();
        writer.join();
        reader.join();
        assertThat(doneAfterQuiescence).isTrue();
    }

    @Test
    void offlineAndUnregisteredReadersAreNotWaitedFor() throws Exception {
        QsbrRcu<Integer> rcu = new QsbrRcu<>(1);
        CountDownLatch offline = new CountDownLatch(1), finish = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (QsbrReader<Integer> r = rcu.register()) {
                r.offline();
                offline.countDown();
                RcuTest.await(finish);
            }
        });
        offline.await();
        rcu.update(v -> 2);
        rcu.synchronize();                                           // returns although the reader is registered
        finish.countDown();
        reader.join();
        rcu.synchronize();
        assertThat(RcuTest.registeredSlots(rcu)).isEqualTo(1);       // the head stays linked
    }

    @Test
    void aQuiescentStateWithNoNewEpochWritesNothing() {
        QsbrRcu<Integer> rcu = new QsbrRcu<>(1);
        try (QsbrReader<Integer> r = rcu.register()) {
            ReaderSlot slot = rcu.registry.slot();
            long before = slot.announced();
            r.quiescentState();
            assertThat(slot.announced()).isEqualTo(before);
            rcu.synchronize();
            r.quiescentState();
            assertThat(slot.announced() & ~ReaderSlot.FLAGS).isEqualTo(rcu.registry.epoch());
        }
    }
}
