package io.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockstep.cli.tour.Tour;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench report in a real browser engine, where one is installed: headless Chromium's DOM of the
 * page (its {@code --dump-dom}) has every chart, each labelled. Skipped, and reported as skipped,
 * on machines without the {@code chromium} package (HtmlUnit's BenchCommandTest still runs there).
 * Driven from the command line, not through Selenium: Selenium's Maven tree and its driver download
 * would be new build dependencies for a check that needs no clicking.
 */
@Timeout(120)
class BenchChromiumTest {
    @TempDir Path dir;

    private static Path chromium() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dirName, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    @Test
    void chromiumSeesEveryChartLabelled() throws Exception {
        Path chromium = chromium();
        assumeTrue(
                chromium != null,
                "the chromium package is not installed: the headless Chromium check did not run");
        Path json = dir.resolve("mutex.json");
        try (var in = BenchChromiumTest.class.getResourceAsStream("/bench/mutex.json")) {
            Files.copy(in, json);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit =
                LockstepCommand.commandLine(Tour.of(List::of), out, out)
                        .execute(
                                "bench",
                                "--from",
                                json.toString(),
                                "--scaling",
                                dir.toString(),
                                "--out",
                                dir.resolve("report").toString());
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        Process p =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--dump-dom",
                                dir.resolve("report/index.html").toUri().toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> figures = Stream.of(dom.split("<figure class=\"benchmark\"")).skip(1).toList();
        assertThat(figures).hasSize(4);
        Pattern label = Pattern.compile("<svg class=\"chart\"[^>]*aria-label=\"([^\"]+)\"");
        for (String f : figures) {
            Matcher m = label.matcher(f);
            assertThat(m.find())
                    .as("a labelled chart in %s", f.substring(0, Math.min(80, f.length())))
                    .isTrue();
            assertThat(f).contains("class=\"bar\"", "class=\"reference\"");
        }
    }
}
