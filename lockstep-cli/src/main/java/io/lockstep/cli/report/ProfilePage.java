package io.lockstep.cli.report;

import static io.lockstep.cli.report.ContentionProfile.ms;
import static io.lockstep.cli.report.Svg.escape;
import static io.lockstep.cli.report.Svg.num;

import io.lockstep.cli.report.ContentionProfile.PrimitiveRow;
import io.lockstep.cli.report.ContentionProfile.SiteRow;
import io.lockstep.cli.report.ContentionProfile.Span;
import io.lockstep.cli.report.Svg.Bar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text table and the HTML page of {@code lockstep profile}: the same rows, and on the page a
 * bar chart of total wait per primitive, one of wait and hold percentiles per primitive, and a
 * timeline with one row per thread (waits and holds as bars on one time axis).
 */
public final class ProfilePage {
    private static final int TIMELINE_WIDTH = 720;
    private static final int TIMELINE_LABEL = 160;
    private static final int LANE = 20;

    private ProfilePage() {}

    /** The primitives table (at most {@code top} rows). */
    public static String primitiveTable(List<PrimitiveRow> rows, int top) {
        TextTable t =
                new TextTable(
                        3,
                        "#",
                        "primitive",
                        "kind",
                        "waits",
                        "total ms",
                        "max ms",
                        "p50 wait",
                        "p99 wait",
                        "holds",
                        "p50 hold",
                        "p99 hold");
        int i = 0;
        for (PrimitiveRow r : rows.subList(0, Math.min(top, rows.size()))) {
            t.row(
                    String.valueOf(++i),
                    r.primitive(),
                    r.kind(),
                    String.valueOf(r.waits().count()),
                    ms(r.waits().total()),
                    ms(r.waits().max()),
                    ms(r.waits().p50()),
                    ms(r.waits().p99()),
                    String.valueOf(r.holds().count()),
                    r.holds().count() == 0 ? "-" : ms(r.holds().p50()),
                    r.holds().count() == 0 ? "-" : ms(r.holds().p99()));
        }
        return t.toString();
    }

    /** The acquisition-site table (at most {@code top} rows). */
    public static String siteTable(List<SiteRow> rows, int top) {
        TextTable t =
                new TextTable(
                        3,
                        "#",
                        "site",
                        "primitive",
                        "waits",
                        "total ms",
                        "max ms",
                        "p50 wait",
                        "p99 wait");
        int i = 0;
        for (SiteRow r : rows.subList(0, Math.min(top, rows.size()))) {
            t.row(
                    String.valueOf(++i),
                    r.site(),
                    r.primitive(),
                    String.valueOf(r.waits().count()),
                    ms(r.waits().total()),
                    ms(r.waits().max()),
                    ms(r.waits().p50()),
                    ms(r.waits().p99()));
        }
        return t.toString();
    }

    /** The whole page. */
    public static String html(String source, ContentionProfile profile, int top) {
        List<PrimitiveRow> rows = profile.primitives();
        StringBuilder b = new StringBuilder();
        b.append("<p id=\"summary\">").append(escape(summary(source, profile))).append("</p>\n");
        b.append("<h2>Top contended primitives</h2>\n<pre id=\"primitives-table\">")
                .append(escape(primitiveTable(rows, top)))
                .append("</pre>\n");
        b.append("<h2>Top acquisition sites</h2>\n<pre id=\"sites-table\">")
                .append(escape(siteTable(profile.sites(), top)))
                .append("</pre>\n");
        b.append(
                "<h2>Total wait per primitive</h2>\n<figure id=\"total-wait\">\n<figcaption>Total wait per primitive (ms)</figcaption>\n");
        List<Bar> totals = new ArrayList<>();
        for (PrimitiveRow r : rows)
            totals.add(
                    new Bar(r.primitive(), r.waits().total() / 1e6, ms(r.waits().total()) + " ms"));
        b.append(Svg.barChart("Total wait per primitive (ms)", totals, Double.NaN, "#4a7ebb"))
                .append("</figure>\n");
        b.append("<h2>Per primitive</h2>\n");
        for (PrimitiveRow r : rows) {
            String title = r.primitive() + ": wait and hold times (ms)";
            b.append("<figure class=\"primitive\" data-primitive=\"")
                    .append(escape(r.primitive()))
                    .append("\">\n<figcaption>")
                    .append(escape(r.primitive()))
                    .append(" — ")
                    .append(r.waits().count())
                    .append(" waits, ")
                    .append(r.holds().count())
                    .append(" holds</figcaption>\n");
            List<Bar> bars =
                    new ArrayList<>(
                            List.of(
                                    new Bar(
                                            "wait p50",
                                            r.waits().p50() / 1e6,
                                            ms(r.waits().p50()) + " ms"),
                                    new Bar(
                                            "wait p99",
                                            r.waits().p99() / 1e6,
                                            ms(r.waits().p99()) + " ms"),
                                    new Bar(
                                            "wait max",
                                            r.waits().max() / 1e6,
                                            ms(r.waits().max()) + " ms")));
            if (r.holds().count() > 0) {
                bars.add(new Bar("hold p50", r.holds().p50() / 1e6, ms(r.holds().p50()) + " ms"));
                bars.add(new Bar("hold p99", r.holds().p99() / 1e6, ms(r.holds().p99()) + " ms"));
                bars.add(new Bar("hold max", r.holds().max() / 1e6, ms(r.holds().max()) + " ms"));
            }
            b.append(Svg.barChart(title, bars, Double.NaN, "#4a7ebb")).append("</figure>\n");
        }
        b.append(
                        "<h2>Timeline</h2>\n<figure id=\"timeline\">\n<figcaption>Waits (orange) and contended holds (blue) per thread</figcaption>\n")
                .append(timeline(profile))
                .append("</figure>\n");
        return Svg.page("Lockstep contention profile", b.toString());
    }

    /** The line above the tables. */
    public static String summary(String source, ContentionProfile profile) {
        return "Contention profile of "
                + source
                + ": "
                + profile.waits().size()
                + " waits on "
                + profile.primitives().stream().filter(r -> r.waits().count() > 0).count()
                + " primitives, "
                + profile.holds().size()
                + " contended holds (only events at or over the recording's threshold).";
    }

    /** One lane per thread; a bar per wait and per hold, placed on the recording's time axis. */
    static String timeline(ContentionProfile profile) {
        List<Span> all = new ArrayList<>(profile.waits());
        all.addAll(profile.holds());
        if (all.isEmpty()) return "<p>Nothing recorded.</p>\n";
        return timeline(all);
    }

    /** The timeline of some spans (kind "hold" for holds, anything else for waits); not empty. */
    public static String timeline(List<Span> all) {
        Instant t0 = all.stream().map(Span::start).min(Instant::compareTo).orElseThrow();
        long end =
                all.stream()
                        .mapToLong(s -> Duration.between(t0, s.start()).toNanos() + s.nanos())
                        .max()
                        .orElseThrow();
        double perNano = (double) TIMELINE_WIDTH / Math.max(1, end);
        Map<String, Integer> lanes = new LinkedHashMap<>();
        for (Span s : all.stream().sorted((a, c) -> a.thread().compareTo(c.thread())).toList()) {
            lanes.putIfAbsent(s.thread(), lanes.size());
        }
        int height = lanes.size() * LANE + 30;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"timeline\" role=\"img\" width=\"")
                .append(TIMELINE_LABEL + TIMELINE_WIDTH + 20)
                .append("\" height=\"")
                .append(height)
                .append("\" aria-label=\"Timeline of waits and holds per thread\" data-span-ms=\"")
                .append(num(end / 1e6))
                .append("\">\n<title>Timeline of waits and holds per thread</title>\n");
        lanes.forEach(
                (thread, lane) ->
                        b.append("<text class=\"thread\" x=\"")
                                .append(TIMELINE_LABEL - 6)
                                .append("\" y=\"")
                                .append(lane * LANE + 14)
                                .append("\" text-anchor=\"end\" font-size=\"12\">")
                                .append(escape(thread))
                                .append("</text>\n"));
        for (Span s : all) {
            boolean hold = s.kind().equals("hold");
            long from = Duration.between(t0, s.start()).toNanos();
            b.append("<rect class=\"")
                    .append(hold ? "hold" : "wait")
                    .append("\" x=\"")
                    .append(num(TIMELINE_LABEL + from * perNano))
                    .append("\" y=\"")
                    .append(lanes.get(s.thread()) * LANE + (hold ? 3 : 9))
                    .append("\" width=\"")
                    .append(num(Math.max(1, s.nanos() * perNano)))
                    .append("\" height=\"")
                    .append(hold ? 6 : 8)
                    .append("\" fill=\"")
                    .append(hold ? "#4a7ebb" : "#e8912d")
                    .append("\" data-thread=\"")
                    .append(escape(s.thread()))
                    .append("\" data-primitive=\"")
                    .append(escape(s.primitive()))
                    .append("\" data-start-ms=\"")
                    .append(num(from / 1e6))
                    .append("\" data-ms=\"")
                    .append(num(s.nanos() / 1e6))
                    .append("\"><title>")
                    .append(
                            escape(
                                    s.thread()
                                            + (hold ? " held " : " waited for ")
                                            + s.primitive()
                                            + " "
                                            + ms(s.nanos())
                                            + " ms at +"
                                            + ms(from)
                                            + " ms"))
                    .append("</title></rect>\n");
        }
        int axis = lanes.size() * LANE + 4;
        b.append("<line x1=\"")
                .append(TIMELINE_LABEL)
                .append("\" x2=\"")
                .append(TIMELINE_LABEL + TIMELINE_WIDTH)
                .append("\" y1=\"")
                .append(axis)
                .append("\" y2=\"")
                .append(axis)
                .append("\" stroke=\"#888\"/>\n")
                .append("<text x=\"")
                .append(TIMELINE_LABEL)
                .append("\" y=\"")
                .append(axis + 16)
                .append("\" font-size=\"11\">0 ms</text>\n")
                .append("<text x=\"")
                .append(TIMELINE_LABEL + TIMELINE_WIDTH)
                .append("\" y=\"")
                .append(axis + 16)
                .append("\" text-anchor=\"end\" font-size=\"11\">")
                .append(ms(end))
                .append(" ms</text>\n");
        return b.append("</svg>\n").toString();
    }
}
