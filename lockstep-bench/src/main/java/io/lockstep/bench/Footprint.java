package io.lockstep.bench;

import io.lockstep.lock.Mutex;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.ReentrantMutex;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained bytes of an idle lock, measured with JOL: everything reachable from the lock object,
 * as the heap holds it in this JVM (compressed oops and class pointers on a default 64-bit VM).
 * One line per type, {@code <Type> <bytes>}:
 *
 * <pre>
 *   java -cp lockstep-bench/target/benchmarks.jar io.lockstep.bench.Footprint
 * </pre>
 *
 * <ul>
 *   <li>{@code Mutex<Object>} holds a {@code null} payload, so the figure is the wrapper, its
 *       RawMutex, and nothing of the data.</li>
 *   <li>{@code Object} is a plain object that has been used as a monitor ({@code synchronized}
 *       once, uncontended): its lock state lives in the header, so it stays 16 bytes until
 *       contention inflates it (the inflated ObjectMonitor is off-heap and not counted).</li>
 *   <li>{@code ReentrantLock} counts its NonfairSync (the AQS) too; an idle lock has no queue
 *       nodes.</li>
 * </ul>
 *
 * <p>JDK 25 (Temurin 25.0.x, checked): no flag is needed and the numbers are the same with or
 * without any. Plain, JOL 0.17 warns "Unable to get Instrumentation. Dynamic Attach failed" and
 * falls back to Unsafe for field offsets, which is all {@code totalSize()} needs;
 * {@code -Djdk.attach.allowAttachSelf=true} lets it attach its agent instead (the JDK then warns
 * about a dynamically loaded agent; add {@code -XX:+EnableDynamicAgentLoading} to silence that);
 * {@code -Djol.magicFieldOffset=true} changes nothing here. Either way the JDK also warns that
 * JOL calls a deprecated {@code sun.misc.Unsafe} method. Needs Java 21+ (the jar's release).
 */
public final class Footprint {
    private Footprint() {}

    public static void main(String[] args) {
        Object monitor = new Object();
        synchronized (monitor) {
            monitor.hashCode();                    // used as a monitor (lock state in the header)
        }
        Map<String, Object> idle = new LinkedHashMap<>();
        idle.put("RawMutex", new RawMutex());
        idle.put("Mutex<Object>", Mutex.of((Object) null));
        idle.put("ReentrantMutex", new ReentrantMutex());
        idle.put("ReentrantLock", new ReentrantLock());
        idle.put("Object", monitor);
        for (Map.Entry<String, Object> e : idle.entrySet()) {
            System.out.println(e.getKey() + " " + GraphLayout.parseInstance(e.getValue()).totalSize());
        }
    }
}
