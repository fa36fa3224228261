package io.lockstep.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Lockstep's waits and holds in a JFR recording, grouped by primitive and by acquisition site.
 *
 * <p>Waits are the events about one primitive that a thread waited in: {@code ContendedAcquire}
 * (locks, semaphores), {@code ChannelWait}, {@code SyncWait}, {@code RcuGracePeriod}. Holds are
 * {@code ContendedHold} events (a mutex held after a contended acquire, until a release that woke a
 * waiter). Only what the recording kept is counted: events at or over its threshold (20 ms with
 * {@code lockstep.jfc}), so the percentiles are those of the recorded waits.
 */
public final class ContentionProfile {
    /*
     * Implementation notes.
     *
     * A primitive is keyed by its class and identity hash, as the events carry them, so two
     * primitives with one name stay apart; its label is how reports show it, with the identity
     * appended only when two keys would otherwise look alike. The acquisition site is the first
     * frame of the event's stack outside lockstep-core (the caller of lock(), acquire(), recv()...).
     * Percentiles are nearest-rank over the recorded durations (p50 of {1,2,3,4} is 2).
     */
    private static final Set<String> WAIT_TYPES =
            Set.of(
                    "io.lockstep.ContendedAcquire",
                    "io.lockstep.ChannelWait",
                    "io.lockstep.SyncWait",
                    "io.lockstep.RcuGracePeriod");
    private static final String HOLD_TYPE = "io.lockstep.ContendedHold";
    private static final Set<String> CORE_PACKAGES =
            Set.of(
                    "atomic",
                    "channel",
                    "deadlock",
                    "internal",
                    "local",
                    "lock",
                    "lockfree",
                    "observe",
                    "park",
                    "promise",
                    "rcu",
                    "spin",
                    "stm",
                    "sync");

    /** One wait or hold: on which primitive, by which thread, when and how long, from where. */
    public record Span(
            String primitive, String kind, String thread, Instant start, long nanos, String site) {}

    /** Count, total, max and nearest-rank percentiles of some durations, in nanoseconds. */
    public record Stats(int count, long total, long max, long p50, long p99) {
        static Stats of(List<Span> spans) {
            long[] d = spans.stream().mapToLong(Span::nanos).sorted().toArray();
            if (d.length == 0) return new Stats(0, 0, 0, 0, 0);
            return new Stats(
                    d.length,
                    Arrays.stream(d).sum(),
                    d[d.length - 1],
                    percentile(d, 0.50),
                    percentile(d, 0.99));
        }
    }

    /** One primitive's row: its waits and its holds. */
    public record PrimitiveRow(String primitive, String kind, Stats waits, Stats holds) {}

    /** One acquisition site's row: where the waits came from, on which primitive. */
    public record SiteRow(String site, String primitive, Stats waits) {}

    private final List<Span> waits;
    private final List<Span> holds;

    private ContentionProfile(List<Span> waits, List<Span> holds) {
        this.waits = waits;
        this.holds = holds;
    }

    /** Reads the Lockstep events of a recording. */
    public static ContentionProfile read(Path recording) throws IOException {
        List<RecordedEvent> events = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (WAIT_TYPES.contains(type) || type.equals(HOLD_TYPE)) events.add(e);
            }
        }
        Map<String, String> labels = labels(events);
        List<Span> waits = new ArrayList<>();
        List<Span> holds = new ArrayList<>();
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            Span span =
                    new Span(
                            labels.get(key(e)),
                            kind(e),
                            threadName(e.getThread()),
                            e.getStartTime(),
                            e.getDuration().toNanos(),
                            site(e.getStackTrace()));
            (type.equals(HOLD_TYPE) ? holds : waits).add(span);
        }
        Comparator<Span> byStart = Comparator.comparing(Span::start);
        waits.sort(byStart);
        holds.sort(byStart);
        return new ContentionProfile(List.copyOf(waits), List.copyOf(holds));
    }

    /** The recorded waits, by start time. */
    public List<Span> waits() {
        return waits;
    }

    /** The recorded contended holds, by start time. */
    public List<Span> holds() {
        return holds;
    }

    /** The primitives, most total wait first. */
    public List<PrimitiveRow> primitives() {
        Map<String, List<Span>> w = group(waits, Span::primitive);
        Map<String, List<Span>> h = group(holds, Span::primitive);
        List<PrimitiveRow> rows = new ArrayList<>();
        for (String p : union(w.keySet(), h.keySet())) {
            List<Span> pw = w.getOrDefault(p, List.of());
            String kind = pw.isEmpty() ? "acquire" : pw.get(0).kind();
            rows.add(
                    new PrimitiveRow(
                            p, kind, Stats.of(pw), Stats.of(h.getOrDefault(p, List.of()))));
        }
        rows.sort(
                Comparator.comparingLong((PrimitiveRow r) -> r.waits().total())
                        .reversed()
                        .thenComparing(PrimitiveRow::primitive));
        return rows;
    }

    /** The acquisition sites (site and primitive), most total wait first. */
    public List<SiteRow> sites() {
        Map<String, List<Span>> bySite = group(waits, s -> s.site() + "\u0000" + s.primitive());
        List<SiteRow> rows = new ArrayList<>();
        bySite.forEach(
                (k, spans) ->
                        rows.add(
                                new SiteRow(
                                        spans.get(0).site(),
                                        spans.get(0).primitive(),
                                        Stats.of(spans))));
        rows.sort(
                Comparator.comparingLong((SiteRow r) -> r.waits().total())
                        .reversed()
                        .thenComparing(SiteRow::site));
        return rows;
    }

    /** Milliseconds with one decimal, as the table and the charts write durations. */
    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static Map<String, List<Span>> group(
            List<Span> spans, java.util.function.Function<Span, String> key) {
        Map<String, List<Span>> m = new LinkedHashMap<>();
        for (Span s : spans) m.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s);
        return m;
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        for (String s : b) if (!a.contains(s)) all.add(s);
        return all;
    }

    /**
     * How each primitive key is shown: as reports show it, plus its identity where that is
     * ambiguous.
     */
    private static Map<String, String> labels(List<RecordedEvent> events) {
        Map<String, String> shown = new LinkedHashMap<>();
        Map<String, Integer> keysPerLabel = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            if (shown.putIfAbsent(key(e), shownAs(e)) == null)
                keysPerLabel.merge(shownAs(e), 1, Integer::sum);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            String label = shownAs(e);
            labels.putIfAbsent(
                    key(e),
                    keysPerLabel.get(label) > 1
                            ? label + " #" + Integer.toHexString(e.getInt("identity"))
                            : label);
        }
        return labels;
    }

    private static String shownAs(RecordedEvent e) {
        String p = e.getString("primitive");
        return p == null ? "(unknown)" : p;
    }

    private static String key(RecordedEvent e) {
        var c = e.getClass("primitiveClass");
        return (c == null ? "?" : c.getName()) + "@" + e.getInt("identity") + "/" + shownAs(e);
    }

    private static String kind(RecordedEvent e) {
        return switch (e.getEventType().getName()) {
            case "io.lockstep.ContendedAcquire" -> "acquire " + e.getString("mode");
            case "io.lockstep.ChannelWait" -> "channel " + e.getString("operation");
            case "io.lockstep.SyncWait" -> "gate";
            case "io.lockstep.RcuGracePeriod" -> "grace period";
            default -> "hold";
        };
    }

    private static String threadName(RecordedThread t) {
        if (t == null) return "(unknown thread)";
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null || name.isEmpty() ? "thread #" + t.getJavaThreadId() : name;
    }

    /** The first frame outside lockstep-core: the code that called the blocking method. */
    static String site(RecordedStackTrace stack) {
        if (stack == null) return "(no stack)";
        for (RecordedFrame f : stack.getFrames()) {
            if (!f.isJavaFrame()) continue;
            String type = f.getMethod().getType().getName();
            if (inCore(type)) continue;
            String simple = type.substring(type.lastIndexOf('.') + 1);
            int line = f.getLineNumber();
            return simple + "." + f.getMethod().getName() + (line > 0 ? ":" + line : "");
        }
        return "(inside Lockstep)";
    }

    private static boolean inCore(String type) {
        if (!type.startsWith("io.lockstep.")) return false;
        String rest = type.substring("io.lockstep.".length());
        int dot = rest.indexOf('.');
        return dot > 0 && CORE_PACKAGES.contains(rest.substring(0, dot));
    }
}
