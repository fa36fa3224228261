package io.lockstep.observe;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK (TestNG, run through the JUnit Platform's TestNG engine) against
 * {@link Topic#asPublisher}, with executor dispatch (each delivery burst on a virtual thread).
 * {@link TopicSyncPublisherTckTest} runs it with synchronous dispatch.
 *
 * <p>A topic is hot: events published before a subscriber arrives are not for it. So each
 * {@code subscribe} on the publisher under test gets a fresh topic, subscribes to it, and only
 * then starts a producer that publishes the requested number of events (waiting for demand:
 * {@link Overflow#BLOCK_PUBLISHER}) and closes the topic; it stops early once the subscriber
 * has cancelled. The failed publisher is a topic closed with an error.
 */
public class TopicPublisherTckTest extends FlowPublisherVerification<Integer> {
    private final SubscriberOptions options;

    public TopicPublisherTckTest() {
        this(SubscriberOptions.defaults().capacity(16));
    }

    TopicPublisherTckTest(SubscriberOptions options) {
        // Generous timeouts: the build shares 2 cores with other work.
        super(new TestEnvironment(2_000, 200), 3_000);
        this.options = options;
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return subscriber -> {
            Topic<Integer> topic = new Topic<>();
            topic.asPublisher(options).subscribe(subscriber);   // NPE for a null subscriber
            Thread.ofVirtual().name("tck-producer").start(() -> {
                for (long i = 0; i < elements && topic.subscriberCount() > 0; i++) topic.publish((int) i);
                topic.close();
            });
        };
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        Topic<Integer> topic = new Topic<>();
        topic.closeExceptionally(new RuntimeException("a failed topic"));
        return topic.asPublisher(options);
    }
}
