package io.lockstep.cli.report;

import static io.lockstep.cli.report.Svg.escape;
import static io.lockstep.cli.report.Svg.num3;

import io.lockstep.cli.report.JmhResults.Group;
import io.lockstep.cli.report.JmhResults.Ratio;
import io.lockstep.cli.report.JmhResults.Result;
import io.lockstep.cli.report.Svg.Bar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench report: per benchmark group, a chart of Lockstep's ratio to each peer (1.0 marked;
 * above it Lockstep is better) or, for a group without {@code impl}, of its scores; thread-scaling
 * curves from CSVs; the environment; and the Markdown table BENCHMARKS.md uses.
 */
public final class BenchPage {
    private BenchPage() {}

    /** Where and when the numbers come from. */
    public record Environment(String machine, String jdk, String date, String source) {}

    /**
     * The JDKs the results ran on, as JMH recorded them (e.g. "25.0.3 (OpenJDK 64-Bit Server VM)").
     */
    public static String jdks(JmhResults results) {
        Set<String> jdks = new LinkedHashSet<>();
        for (Result r : results.results()) jdks.add(r.jdk() + " (" + r.vm() + ")");
        return jdks.isEmpty() ? "(none)" : String.join(", ", jdks);
    }

    /** The Markdown table: one row per Lockstep-vs-peer pair, as in docs/BENCHMARKS.md. */
    public static String markdown(JmhResults results) {
        StringBuilder b =
                new StringBuilder(
                        "| benchmark | Lockstep | peer | ratio (range) |\n|---|---|---|---|\n");
        for (Group g : results.groups()) {
            for (Ratio r : g.ratios()) {
                b.append("| ")
                        .append(g.title())
                        .append(" vs ")
                        .append(r.peer())
                        .append(" | ")
                        .append(num3(r.lockstep().median()))
                        .append(' ')
                        .append(unit(r.lockstep()))
                        .append(" | ")
                        .append(num3(r.other().median()))
                        .append(' ')
                        .append(unit(r.other()))
                        .append(" | ")
                        .append(ratio(r))
                        .append(" |\n");
            }
        }
        return b.toString();
    }

    /**
     * A ratio as the table writes it: {@code 1.97× (1.77–2.18)}, the range only with several forks.
     */
    public static String ratio(Ratio r) {
        String main = times(r.ratio()) + "×";
        return r.low() == r.high()
                ? main
                : main + " (" + times(r.low()) + "–" + times(r.high()) + ")";
    }

    /** A ratio's digits, as BENCHMARKS.md writes them: 0.70, 2.00, 23.2. */
    private static String times(double v) {
        return String.format(java.util.Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String unit(Result r) {
        return r.unit().replace("us", "µs");
    }

    /** The page. */
    public static String html(JmhResults results, List<ScalingCsv> scaling, Environment env) {
        StringBuilder b = new StringBuilder();
        b.append("<dl id=\"environment\">\n<dt>Machine</dt><dd id=\"machine\">")
                .append(escape(env.machine()))
                .append("</dd>\n<dt>JDK</dt><dd id=\"jdk\">")
                .append(escape(env.jdk()))
                .append("</dd>\n<dt>Date</dt><dd id=\"date\">")
                .append(escape(env.date()))
                .append("</dd>\n<dt>Results</dt><dd id=\"source\">")
                .append(escape(env.source()))
                .append("</dd>\n</dl>\n");
        b.append(
                "<p>Each chart is one benchmark: Lockstep's ratio to each peer, on the median of the forks (the red line"
                        + " is 1.0; to its right Lockstep is faster). Ratios within ±10 % are ties on a noisy machine.</p>\n");
        b.append("<h2>Benchmarks</h2>\n");
        for (Group g : results.groups()) {
            List<Ratio> ratios = g.ratios();
            b.append("<figure class=\"benchmark\" data-benchmark=\"")
                    .append(escape(g.title()))
                    .append("\">\n<figcaption>")
                    .append(escape(g.title()))
                    .append("</figcaption>\n");
            if (!ratios.isEmpty()) {
                List<Bar> bars = new ArrayList<>();
                for (Ratio r : ratios) bars.add(new Bar("vs " + r.peer(), r.ratio(), ratio(r)));
                b.append(Svg.barChart(g.title() + ": Lockstep ÷ peer", bars, 1.0, "#4a7ebb"));
            } else {
                List<Bar> bars = new ArrayList<>();
                for (Result r : g.results())
                    bars.add(new Bar(params(r), r.median(), num3(r.median()) + " " + unit(r)));
                b.append(
                        Svg.barChart(
                                g.title() + ": score (" + unit(g.results().get(0)) + ")",
                                bars,
                                Double.NaN,
                                "#76b7b2"));
            }
            b.append("</figure>\n");
        }
        b.append("<h2>Thread scaling</h2>\n");
        int curves = 0;
        for (ScalingCsv csv : scaling) {
            for (Map.Entry<String, Map<String, java.util.TreeMap<Integer, Double>>> e :
                    csv.curves().entrySet()) {
                String title = e.getKey() + " by threads (" + csv.file().getFileName() + ")";
                b.append("<figure class=\"scaling\" data-benchmark=\"")
                        .append(escape(e.getKey()))
                        .append("\" data-file=\"")
                        .append(escape(csv.file().getFileName().toString()))
                        .append("\">\n<figcaption>")
                        .append(escape(title))
                        .append("</figcaption>\n")
                        .append(
                                Svg.lineChart(
                                        title,
                                        new LinkedHashMap<>(e.getValue()),
                                        "threads",
                                        csv.units().getOrDefault(e.getKey(), "score")))
                        .append("</figure>\n");
                curves++;
            }
        }
        if (curves == 0)
            b.append(
                    "<p id=\"no-scaling\">No thread-scaling CSV (docs/results/*.csv) was found.</p>\n");
        b.append("<h2>Markdown table (docs/BENCHMARKS.md)</h2>\n<pre id=\"markdown\">")
                .append(escape(markdown(results)))
                .append("</pre>\n");
        return Svg.page("Lockstep benchmark report", b.toString());
    }

    private static String params(Result r) {
        return r.params().isEmpty() ? r.shortName() : r.params().toString().replaceAll("[{}]", "");
    }
}
