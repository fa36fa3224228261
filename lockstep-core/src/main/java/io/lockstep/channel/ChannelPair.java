package io.lockstep.channel;

import java.util.Objects;

/**
 * The two counted handles of a {@link Channel#split() split} channel, as crossbeam's
 * {@code bounded(n)} returns {@code (Sender, Receiver)}: clone each for more producers or
 * consumers ({@link SenderHandle#newSender()}, {@link ReceiverHandle#newReceiver()}), and close
 * each when done. Closing the last sender handle closes the channel (receivers drain, then see it
 * closed); closing the last receiver handle makes sends fail.
 *
 * <pre>{@code
 * ChannelPair<Job> jobs = Channel.<Job>bounded(64).split();
 * for (int i = 0; i < 4; i++) {
 *     SenderHandle<Job> tx = jobs.sender().newSender();
 *     Thread.ofVirtual().start(() -> {
 *         try {
 *             produce(tx);
 *         } finally {
 *             tx.close();                           // the fourth close ends the consumer's loop
 *         }
 *     });
 * }
 * jobs.sender().close();                            // this thread sends nothing
 * for (Job job : jobs.receiver()) job.run();
 * }</pre>
 *
 * @param sender   the first sender handle
 * @param receiver the first receiver handle
 * @param <T>      the message type
 */
public record ChannelPair<T>(SenderHandle<T> sender, ReceiverHandle<T> receiver) {
    /** @throws NullPointerException if either handle is null */
    public ChannelPair {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
    }
}
