package io.lockstep.testing;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Guava testlib suites run by Jupiter. The suites are JUnit 3 style and there is no vintage
 * engine, so each {@code TestCase} becomes a dynamic test that calls {@code runBare()}.
 *
 * <pre>{@code
 * @TestFactory
 * DynamicNode guava() {
 *     return GuavaSuites.queue("ConcurrentLinkedQueue",
 *             elements -> new ConcurrentLinkedQueue<>(Arrays.asList(elements)));
 * }
 * }</pre>
 */
public final class GuavaSuites {
    private GuavaSuites() {}

    /**
     * {@code QueueTestSuiteBuilder} for a FIFO queue of strings that supports add, remove
     * (interior removal included), iterator remove and null queries, at every size, as a
     * dynamic container; {@code create} returns a queue holding {@code elements} in order.
     */
    public static DynamicNode queue(String name, Function<String[], Queue<String>> create) {
        return toNode(QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
                    @Override
                    protected Queue<String> create(String[] elements) {
                        return create.apply(elements);
                    }
                })
                .named(name)
                .withFeatures(CollectionFeature.SUPPORTS_ADD, CollectionFeature.SUPPORTS_REMOVE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.KNOWN_ORDER, CollectionFeature.ALLOWS_NULL_QUERIES,
                        CollectionSize.ANY)
                .createTestSuite());
    }

    /** A JUnit 3 test or suite as a Jupiter dynamic test or container (names kept). */
    public static DynamicNode toNode(Test test) {
        if (test instanceof TestSuite suite) {
            List<DynamicNode> children = new ArrayList<>();
            for (int i = 0; i < suite.testCount(); i++) children.add(toNode(suite.testAt(i)));
            return DynamicContainer.dynamicContainer(String.valueOf(suite.getName()), children.stream());
        }
        TestCase tc = (TestCase) test;
        return DynamicTest.dynamicTest(tc.getName() + " (" + tc.getClass().getSimpleName() + ")", () -> {
            try {
                tc.runBare();
            } catch (Throwable t) {
                throw t instanceof Exception e ? e : new AssertionError(t);
            }
        });
    }
}
