package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lockstep.cli.report.Json;
import io.lockstep.cli.tour.Tour;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep bench --from} (issue 16): the report of saved JMH results (fixtures copied from
 * docs/results), loaded in HtmlUnit; every chart is there, labelled, and agrees with the JSON.
 */
@Timeout(60)
class BenchCommandTest {
    @TempDir static Path dir;
    static Path mutex;
    static Path jfr;
    static Path csv;
    static String stdout;
    static HtmlPage page;
    static WebClient browser;

    @BeforeAll
    static void render() throws IOException {
        mutex = fixture("mutex.json");
        jfr = fixture("JfrOverheadBench.json");
        csv = fixture("scaling.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                LockstepCommand.commandLine(Tour.of(List::of), out, err)
                        .execute(
                                "bench",
                                "--from",
                                mutex.toString(),
                                jfr.toString(),
                                "--scaling",
                                csv.toString(),
                                "--out",
                                dir.resolve("report").toString());
        assertThat(exit).as(err.toString(UTF_8)).isZero();
        stdout = out.toString(UTF_8);
        browser = new WebClient(BrowserVersion.FIREFOX);
        browser.getOptions().setJavaScriptEnabled(false);
        page = browser.getPage(dir.resolve("report/index.html").toUri().toURL());
    }

    static Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = BenchCommandTest.class.getResourceAsStream("/bench/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /**
     * Per-fork means of one result of the JSON, its median: computed here, apart from the command.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> medians(Path file, String benchmarkSuffix)
            throws IOException {
        Map<String, Double> byImpl = new LinkedHashMap<>();
        for (Object o : (List<Object>) Json.parse(Files.readString(file))) {
            Map<String, Object> r = (Map<String, Object>) o;
            if (!((String) r.get("benchmark")).endsWith(benchmarkSuffix)) continue;
            Map<String, Object> pm = (Map<String, Object>) r.get("primaryMetric");
            double[] forks =
                    ((List<List<Double>>) pm.get("rawData"))
                            .stream()
                                    .mapToDouble(
                                            f ->
                                                    f.stream()
                                                            .mapToDouble(Double::doubleValue)
                                                            .average()
                                                            .orElseThrow())
                                    .sorted()
                                    .toArray();
            double median =
                    forks.length % 2 == 1
                            ? forks[forks.length / 2]
                            : (forks[forks.length / 2 - 1] + forks[forks.length / 2]) / 2;
            byImpl.put(
                    ((Map<String, Object>) r.get("params")).values().iterator().next().toString(),
                    median);
        }
        return byImpl;
    }

    private static Map<String, DomElement> figures(String cssClass) {
        Map<String, DomElement> figures = new LinkedHashMap<>();
        for (DomElement f : page.getElementsByTagName("figure")) {
            if (f.getAttribute("class").equals(cssClass))
                figures.put(f.getAttribute("data-benchmark"), f);
        }
        return figures;
    }

    private static DomElement svgOf(DomElement figure) {
        return figure.getElementsByTagName("svg").get(0);
    }

    @Test
    void everyMutexBenchmarkHasARatioChartWithOneMarkedAndRatiosFromTheJson() throws IOException {
        Map<String, DomElement> charts = figures("benchmark");
        assertThat(charts)
                .containsKeys(
                        "MutexBench.contended (2 threads)",
                        "MutexBench.contended4 (4 threads)",
                        "MutexBench.oversubscribed (8 threads)",
                        "MutexBench.uncontended (1 thread)");
        for (String method : List.of("contended", "contended4", "oversubscribed", "uncontended")) {
            DomElement figure =
                    charts.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("MutexBench." + method + " ("))
                            .findFirst()
                            .orElseThrow()
                            .getValue();
            assertThat(figure.getElementsByTagName("figcaption").get(0).getTextContent())
                    .startsWith("MutexBench." + method);
            DomElement svg = svgOf(figure);
            assertThat(svg.getAttribute("aria-label")).endsWith("Lockstep ÷ peer");
            Map<String, Double> m = medians(mutex, "MutexBench." + method);
            Map<String, Double> bars = BrowserPages.bars(svg);
            assertThat(bars.keySet()).containsExactlyInAnyOrder("vs reentrant", "vs mutexT");
            assertThat(bars.get("vs reentrant"))
                    .isCloseTo(m.get("lockstep") / m.get("reentrant"), within(1e-6));
            assertThat(bars.get("vs mutexT"))
                    .isCloseTo(m.get("lockstep") / m.get("mutexT"), within(1e-6));
            List<DomElement> reference =
                    BrowserPages.elements(svg, "line").stream()
                            .filter(l -> l.getAttribute("class").equals("reference"))
                            .toList();
            assertThat(reference).as("1.0 marked").hasSize(1);
            assertThat(Double.parseDouble(reference.get(0).getAttribute("data-value")))
                    .isEqualTo(1.0);
            double scale = Double.parseDouble(svg.getAttribute("data-scale"));
            double x = Double.parseDouble(reference.get(0).getAttribute("x1"));
            double barX =
                    Double.parseDouble(BrowserPages.elements(svg, "rect").get(0).getAttribute("x"));
            assertThat((x - barX) / io.lockstep.cli.report.Svg.BAR_AREA)
                    .as("the 1.0 line where 1.0 is")
                    .isCloseTo(1 / scale, within(1e-3));
            assertThat(BrowserPages.elements(svg, "text").stream().map(DomElement::getTextContent))
                    .contains("1.0");
        }
    }

    @Test
    void aBenchmarkWithoutImplShowsItsScores() throws IOException {
        DomElement figure = figures("benchmark").get("JfrOverheadBench.contended (2 threads)");
        assertThat(figure).isNotNull();
        Map<String, Double> m = medians(jfr, "JfrOverheadBench.contended");
        Map<String, Double> bars = BrowserPages.bars(svgOf(figure));
        assertThat(bars.get("jfr=off")).isCloseTo(m.get("off"), within(1e-6));
        assertThat(bars.get("jfr=on")).isCloseTo(m.get("on"), within(1e-6));
        assertThat(svgOf(figure).getAttribute("aria-label")).contains("score (ops/µs)");
    }

    @Test
    void scalingCurvesFollowTheCsv() throws IOException {
        Map<String, DomElement> curves = figures("scaling");
        assertThat(curves)
                .containsOnlyKeys(
                        "MutexBench.contended", "RwLockBench.readMostly", "LockFreeBench.pushPop");
        // the CSV, read here: impl -> threads -> score for MutexBench.contended
        Map<String, TreeMap<Integer, Double>> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            String[] c = line.split(",");
            if (!c[0].equals("\"io.lockstep.bench.lock.MutexBench.contended\"")) continue;
            expected.computeIfAbsent(c[7], k -> new TreeMap<>())
                    .put(Integer.parseInt(c[2]), Double.parseDouble(c[4]));
        }
        DomElement svg = svgOf(curves.get("MutexBench.contended"));
        assertThat(svg.getAttribute("aria-label")).startsWith("MutexBench.contended by threads");
        Map<String, TreeMap<Integer, Double>> drawn = new LinkedHashMap<>();
        for (DomElement line : BrowserPages.elements(svg, "polyline")) {
            TreeMap<Integer, Double> points = new TreeMap<>();
            for (String p : line.getAttribute("data-points").split(" ")) {
                String[] xy = p.split(":");
                points.put(Integer.parseInt(xy[0]), Double.parseDouble(xy[1]));
            }
            drawn.put(line.getAttribute("data-series"), points);
            assertThat(line.getAttribute("points").split(" ")).hasSize(points.size());
        }
        assertThat(drawn.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
                (impl, points) ->
                        points.forEach(
                                (t, s) ->
                                        assertThat(drawn.get(impl).get(t))
                                                .as("%s at %d threads", impl, t)
                                                .isCloseTo(s, within(1e-6))));
        List<String> legend =
                BrowserPages.elements(svg, "text").stream()
                        .filter(t -> t.getAttribute("class").equals("legend"))
                        .map(DomElement::getTextContent)
                        .toList();
        assertThat(legend).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @Test
    void thePageSaysWhereWhenAndOnWhatAndHoldsTheMarkdownTable() throws IOException {
        assertThat(page.getElementById("machine").getTextContent()).contains("cores");
        assertThat(page.getElementById("jdk").getTextContent()).contains("25.0.3");
        assertThat(page.getElementById("date").getTextContent())
                .startsWith(LocalDate.now(ZoneOffset.UTC).toString().substring(0, 4));
        String markdown = page.getElementById("markdown").getTextContent();
        assertThat(markdown).startsWith("| benchmark | Lockstep | peer | ratio (range) |");
        Map<String, Double> m = medians(mutex, "MutexBench.contended");
        assertThat(markdown)
                .contains(
                        "| MutexBench.contended (2 threads) vs reentrant | "
                                + Math.round(m.get("lockstep"))
                                + " ops/µs | ");
        assertThat(stdout).contains(markdown.strip()).contains("Wrote ");
        assertThat(Files.readString(dir.resolve("report/table.md"))).isEqualTo(markdown);
        String source = Files.readString(dir.resolve("report/index.html"));
        assertThat(source)
                .as("self-contained")
                .doesNotContain("<script", "http://", "https://", "<link", "<img");
        // every chart on the page is labelled
        for (DomElement svg : BrowserPages.elements(page, "svg")) {
            assertThat(svg.getAttribute("aria-label")).isNotBlank();
        }
    }

    @Test
    void badInputIsAUsageErrorWithTheReason() throws IOException {
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{\"benchmark\": ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                LockstepCommand.commandLine(Tour.of(List::of), out, err)
                        .execute(
                                "bench",
                                "--from",
                                notJson.toString(),
                                "--out",
                                dir.resolve("bad").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(UTF_8)).contains("not.json is not JMH JSON");
        List<String> missing =
                new ArrayList<>(
                        Arrays.asList("bench", "--from", dir.resolve("missing.json").toString()));
        exit =
                LockstepCommand.commandLine(Tour.of(List::of), out, err)
                        .execute(missing.toArray(String[]::new));
        assertThat(exit).isEqualTo(2);
    }
}
