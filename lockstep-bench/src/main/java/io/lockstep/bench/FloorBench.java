package io.lockstep.bench;

import io.lockstep.lock.RawMutex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical floor of an uncontended lock/unlock on this machine: one CAS that takes a free
 * lock word (0 to 1) and one release store that frees it. No lock built on a shared word can do
 * less, so other benchmarks read their uncontended numbers against {@link #casPair}, and
 * {@link #baseline} shows what the harness itself costs.
 *
 * <pre>{@code
 * java -jar lockstep-bench/target/benchmarks.jar FloorBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * }</pre>
 *
 * <p>{@link #rawMutex} and {@link #reentrantLock} run an uncontended {@code lock(); unlock();}
 * in the same loop, so their ratio to {@link #casPair} is issue 13's floor ratio exactly. A
 * parking lock must fence its unlock so that it sees a waiter that has just parked: both free an
 * uncontended lock with a volatile store, a full fence, which is why they sit near
 * {@link #casVolatileStore} rather than {@link #casPair}. {@link #casCas} returns both results
 * without branching on them, a shape no lock has; a lock's two CASes that branch cost about
 * 4.8 ns here (docs/BENCHMARKS.md, sixth pass).
 *
 * <p>The state is per thread, so running it with {@code -t 4} still measures the uncontended
 * case (on each core's own cache line), not contention.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FloorBench {

  private static final VarHandle LOCK_WORD;

  static {
    try {
      LOCK_WORD = MethodHandles.lookup().findVarHandle(FloorBench.class, "lockWord", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** 0 free, 1 held, as in a lock's state word. */
  @SuppressWarnings("unused") // accessed through LOCK_WORD
  private volatile int lockWord;

  /**
   * Acquire then release, as an uncontended {@code lock(); unlock();} does at least.
   *
   * @return whether the CAS won, returned so that the JIT cannot drop it; always true here
   */
  @Benchmark
  public boolean casPair() {
    boolean acquired = LOCK_WORD.compareAndSet(this, 0, 1);
    LOCK_WORD.setRelease(this, 0);
    return acquired;
  }

  /**
   * Acquire, then release with a second CAS: the floor of a lock whose unlock must read-modify-write
   * its word (to see parked waiters in the same word), as RawMutex's did before its state was split
   * into bytes (and still does once contended).
   *
   * @return whether both CASes won; always true here
   */
  @Benchmark
  public boolean casCas() {
    boolean acquired = LOCK_WORD.compareAndSet(this, 0, 1);
    return acquired & LOCK_WORD.compareAndSet(this, 1, 0);
  }

  /**
   * Acquire, then release with a volatile store, as ReentrantLock does (it finds waiters through
   * a second word, its queue's head, read after the store).
   *
   * @return whether the CAS won; always true here
   */
  @Benchmark
  public boolean casVolatileStore() {
    boolean acquired = LOCK_WORD.compareAndSet(this, 0, 1);
    LOCK_WORD.setVolatile(this, 0);
    return acquired;
  }

  private final RawMutex rawMutex = new RawMutex();
  private final ReentrantLock reentrantLock = new ReentrantLock();

  /** Lockstep's RawMutex: lock and unlock, nothing held in between. */
  @Benchmark
  public void rawMutex() {
    rawMutex.lock();
    rawMutex.unlock();
  }

  /** The JDK's ReentrantLock, the same way, for reference. */
  @Benchmark
  public void reentrantLock() {
    reentrantLock.lock();
    reentrantLock.unlock();
  }

  /** Nothing: the cost of the benchmark loop, to subtract from the others. */
  @Benchmark
  public void baseline() {}
}
