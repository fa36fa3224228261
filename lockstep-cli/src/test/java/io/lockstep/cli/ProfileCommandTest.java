package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lockstep.cli.tour.Tour;
import io.lockstep.lock.RawMutex;
import io.lockstep.testing.Await;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep profile} over a recording of a small contended workload (issue 16): the table it
 * prints and the page it writes agree with the events, recomputed here from the file.
 */
@Timeout(60)
class ProfileCommandTest {
    @TempDir static Path dir;
    static Path recording;

    /**
     * Two mutexes: "orders" held 100 ms by this thread while two threads queue behind it (the first
     * then holds it 50 ms with the second waiting: a contended hold), and "inventory" held 40 ms
     * while one thread waits, acquired from another method (another site).
     */
    @BeforeAll
    static void record() throws Exception {
        recording = dir.resolve("work.jfr");
        try (Recording r = new Recording()) {
            for (String event :
                    List.of("io.lockstep.ContendedAcquire", "io.lockstep.ContendedHold")) {
                r.enable(event).withThreshold(Duration.ZERO).withStackTrace();
            }
            r.setDestination(recording);
            r.start();
            RawMutex orders = new RawMutex().named("orders");
            RawMutex inventory = new RawMutex().named("inventory");
            orders.lock();
            Thread first = Thread.ofPlatform().name("first").start(() -> takeOrders(orders, 50));
            Await.until(() -> orders.getQueueLength() == 1, "first queued");
            Thread second = Thread.ofPlatform().name("second").start(() -> takeOrders(orders, 0));
            Await.until(() -> orders.getQueueLength() == 2, "second queued");
            Thread.sleep(100);
            orders.unlock();
            inventory.lock();
            Thread third = Thread.ofPlatform().name("third").start(() -> takeInventory(inventory));
            Await.until(() -> inventory.getQueueLength() == 1, "third queued");
            Thread.sleep(40);
            inventory.unlock();
            for (Thread t : List.of(first, second, third)) t.join();
            r.stop();
        }
    }

    private static void takeOrders(RawMutex orders, long holdMillis) {
        orders.lock();
        try {
            Thread.sleep(holdMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            orders.unlock();
        }
    }

    private static void takeInventory(RawMutex inventory) {
        inventory.lock();
        inventory.unlock();
    }

    /**
     * Nanosecond durations of the recorded events of {@code type} on the primitive named {@code
     * name}.
     */
    private static long[] durations(String type, String name) throws Exception {
        return RecordingFile.readAllEvents(recording).stream()
                .filter(
                        e ->
                                e.getEventType().getName().equals(type)
                                        && name.equals(e.getString("name")))
                .mapToLong(e -> e.getDuration().toNanos())
                .sorted()
                .toArray();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static long nearestRank(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The row the table should show for a primitive: waits, total, max, p50, p99 (ms). */
    private static List<String> expectedWaitColumns(String name) throws Exception {
        long[] w = durations("io.lockstep.ContendedAcquire", name);
        return List.of(
                String.valueOf(w.length),
                ms(Arrays.stream(w).sum()),
                ms(w[w.length - 1]),
                ms(nearestRank(w, 0.5)),
                ms(nearestRank(w, 0.99)));
    }

    private static String run(Path html) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                LockstepCommand.commandLine(Tour.of(List::of), out, err)
                        .execute("profile", recording.toString(), "--html", html.toString());
        assertThat(exit).as(err.toString(UTF_8)).isZero();
        return out.toString(UTF_8);
    }

    /** The table's row for {@code name}: its cells, split on runs of spaces. */
    private static List<String> row(String table, String primitive) {
        return table.lines()
                .filter(l -> l.contains(primitive))
                .findFirst()
                .map(l -> List.of(l.trim().split(" {2,}")))
                .orElseThrow(() -> new AssertionError("no row for " + primitive + " in\n" + table));
    }

    @Test
    void theTableListsBothMutexesWithTheirRecordedWaitsAndHolds() throws Exception {
        String out = run(dir.resolve("table.html"));

        String primitives =
                out.substring(
                        out.indexOf("Top contended primitives"),
                        out.indexOf("Top acquisition sites"));
        List<String> orders = row(primitives, "RawMutex \"orders\"");
        List<String> inventory = row(primitives, "RawMutex \"inventory\"");
        // #, primitive, kind, waits, total, max, p50, p99, holds, p50 hold, p99 hold
        assertThat(orders.subList(3, 8)).isEqualTo(expectedWaitColumns("orders"));
        assertThat(inventory.subList(3, 8)).isEqualTo(expectedWaitColumns("inventory"));
        assertThat(orders.get(0))
                .as("orders waited longest (>= 100 + 100 ms), so it ranks first")
                .isEqualTo("1");
        assertThat(orders.get(2)).isEqualTo("acquire exclusive");
        long[] holds = durations("io.lockstep.ContendedHold", "orders");
        assertThat(holds).as("first held orders 50 ms while second waited").isNotEmpty();
        assertThat(holds[holds.length - 1]).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(orders.subList(8, 11))
                .containsExactly(
                        String.valueOf(holds.length),
                        ms(nearestRank(holds, 0.5)),
                        ms(nearestRank(holds, 0.99)));

        String sites = out.substring(out.indexOf("Top acquisition sites"));
        assertThat(row(sites, "ProfileCommandTest.takeOrders")).contains("RawMutex \"orders\"");
        assertThat(row(sites, "ProfileCommandTest.takeInventory"))
                .contains("RawMutex \"inventory\"");
        assertThat(out).contains("Wrote " + dir.resolve("table.html"));
    }

    @Test
    void thePageHasALabelledChartPerPrimitiveThatAgreesWithTheEvents() throws Exception {
        Path html = dir.resolve("profile.html");
        run(html);
        String source = Files.readString(html);
        assertThat(source)
                .as("self-contained")
                .doesNotContain("<script", "http://", "https://", "<link", "<img");

        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setJavaScriptEnabled(false);
            HtmlPage page = browser.getPage(html.toUri().toURL());

            Map<String, DomElement> figures = new LinkedHashMap<>();
            for (DomElement f : page.getElementsByTagName("figure")) {
                if (f.getAttribute("class").equals("primitive"))
                    figures.put(f.getAttribute("data-primitive"), f);
            }
            assertThat(figures).containsOnlyKeys("RawMutex \"orders\"", "RawMutex \"inventory\"");
            for (String name : List.of("orders", "inventory")) {
                DomElement figure = figures.get("RawMutex \"" + name + "\"");
                assertThat(figure.getElementsByTagName("figcaption").get(0).getTextContent())
                        .startsWith("RawMutex \"" + name + "\"");
                DomElement svg = figure.getElementsByTagName("svg").get(0);
                assertThat(svg.getAttribute("aria-label"))
                        .isEqualTo("RawMutex \"" + name + "\": wait and hold times (ms)");
                Map<String, Double> bars = BrowserPages.bars(svg);
                long[] w = durations("io.lockstep.ContendedAcquire", name);
                assertThat(bars.get("wait p50")).isCloseTo(nearestRank(w, 0.5) / 1e6, within(1e-3));
                assertThat(bars.get("wait p99"))
                        .isCloseTo(nearestRank(w, 0.99) / 1e6, within(1e-3));
                assertThat(bars.get("wait max")).isCloseTo(w[w.length - 1] / 1e6, within(1e-3));
                assertThat(svg.getTextContent()).contains("wait max", ms(w[w.length - 1]) + " ms");
            }
            long[] holds = durations("io.lockstep.ContendedHold", "orders");
            assertThat(
                            BrowserPages.bars(
                                            figures.get("RawMutex \"orders\"")
                                                    .getElementsByTagName("svg")
                                                    .get(0))
                                    .get("hold p50"))
                    .isCloseTo(nearestRank(holds, 0.5) / 1e6, within(1e-3));

            DomElement totals =
                    page.getElementById("total-wait").getElementsByTagName("svg").get(0);
            assertThat(totals.getAttribute("aria-label"))
                    .isEqualTo("Total wait per primitive (ms)");
            assertThat(BrowserPages.bars(totals).keySet())
                    .containsExactly("RawMutex \"orders\"", "RawMutex \"inventory\"");
            assertThat(BrowserPages.bars(totals).get("RawMutex \"inventory\""))
                    .isCloseTo(
                            Arrays.stream(durations("io.lockstep.ContendedAcquire", "inventory"))
                                            .sum()
                                    / 1e6,
                            within(1e-3));

            DomElement timeline =
                    page.getElementById("timeline").getElementsByTagName("svg").get(0);
            assertThat(timeline.getAttribute("aria-label")).isNotBlank();
            List<String> lanes = new ArrayList<>();
            for (DomElement t : BrowserPages.elements(timeline, "text")) {
                if (t.getAttribute("class").equals("thread")) lanes.add(t.getTextContent());
            }
            assertThat(lanes).contains("first", "second", "third");
            int waits = 0;
            int holdBars = 0;
            for (DomElement rect : BrowserPages.elements(timeline, "rect")) {
                if (rect.getAttribute("class").equals("wait")) waits++;
                if (rect.getAttribute("class").equals("hold")) holdBars++;
            }
            assertThat(waits)
                    .isEqualTo(
                            durations("io.lockstep.ContendedAcquire", "orders").length
                                    + durations("io.lockstep.ContendedAcquire", "inventory")
                                            .length);
            assertThat(holdBars)
                    .isEqualTo(
                            RecordingFile.readAllEvents(recording).stream()
                                    .filter(
                                            e ->
                                                    e.getEventType()
                                                            .getName()
                                                            .equals("io.lockstep.ContendedHold"))
                                    .count());
        }
    }
}
