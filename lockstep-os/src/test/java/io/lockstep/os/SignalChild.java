package io.lockstep.os;

import io.lockstep.channel.Channel;
import io.lockstep.sync.Event;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of the signal tests. Reads commands from stdin, one per line, and answers on
 * stdout:
 * <pre>
 * sub SIG MODE      subscribed SIG MODE | refused SIG Exception: message     (MODE: callback, event, channel)
 * close SIG MODE    closed SIG MODE
 * count SIG MODE    count SIG MODE delivered dropped
 * shutdown          awaiting [signals]; on the signal: shutdown SIG finished N, then exit 0
 * exit              exits 0
 * </pre>
 * and prints {@code got SIG MODE} for each delivery.
 */
public final class SignalChild {
    private static final Map<String, SignalSubscription> SUBS = new HashMap<>();

    public static void main(String[] args) throws Exception {
        Channel<Signal> channel = Channel.bounded(64);
        Thread.ofVirtual().start(() -> {
            try {
                for (;;) say("got " + channel.recv() + " channel");
            } catch (InterruptedException e) {
                // exit
            }
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        say("ready " + ProcessHandle.current().pid());
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "sub" -> subscribe(Signal.parse(w[1]), w[2], channel);
                case "close" -> {
                    SUBS.remove(w[1] + " " + w[2]).close();
                    say("closed " + w[1] + " " + w[2]);
                }
                case "count" -> {
                    SignalSubscription s = SUBS.get(w[1] + " " + w[2]);
                    say("count " + w[1] + " " + w[2] + " " + s.delivered() + " " + s.dropped());
                }
                case "shutdown" -> shutdown();
                case "exit" -> System.exit(0);
                default -> say("unknown command " + line);
            }
        }
    }

    private static void subscribe(Signal signal, String mode, Channel<Signal> channel) {
        try {
            SignalSubscription sub = switch (mode) {
                case "callback" -> OsSignals.subscribe(signal, s -> say("got " + s + " callback"));
                case "event" -> {
                    Event event = new Event();
                    Thread.ofVirtual().start(() -> {
                        try {
                            for (;;) {
                                event.await();
                                event.clear();
                                say("got " + signal + " event");
                            }
                        } catch (InterruptedException e) {
                            // exit
                        }
                    });
                    yield OsSignals.subscribe(signal, event);
                }
                case "channel" -> OsSignals.subscribe(signal, channel);
                default -> throw new IllegalArgumentException("mode " + mode);
            };
            SUBS.put(signal + " " + mode, sub);
            say("subscribed " + signal + " " + mode);
        } catch (RuntimeException e) {
            say("refused " + signal + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Works in units until SIGINT/SIGTERM, then finishes the unit in hand and reports. */
    private static void shutdown() throws InterruptedException {
        try (ShutdownSignal shutdown = new ShutdownSignal()) {
            AtomicLong units = new AtomicLong();
            Thread worker = Thread.ofVirtual().start(() -> {
                while (shutdown.received().isEmpty()) {
                    units.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            say("awaiting " + shutdown.signals());
            Signal why = shutdown.await();
            worker.join();
            say("shutdown " + why + " finished " + units.get());
        }
        System.exit(0);
    }

    static void say(String line) {
        System.out.println(line); // one line per call: PrintStream locks around println
        System.out.flush();
    }
}
