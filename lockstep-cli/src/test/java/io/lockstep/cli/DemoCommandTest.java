package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.cli.tour.Tour;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code lockstep demo} (issue 16): what it shows holds, and the saved timeline is an SVG of it.
 */
@Timeout(60)
class DemoCommandTest {
    @TempDir Path dir;

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LockstepCommand.commandLine(Tour.of(List::of), out, err).execute(args);
        assertThat(exit).as(err.toString(UTF_8) + out.toString(UTF_8)).isEqualTo(expectedExit);
        return out.toString(UTF_8);
    }

    @Test
    void theSemaphoreDemoNeverShowsMoreThanThreeHoldersAndSavesItsTimeline() throws Exception {
        Path svg = dir.resolve("demo.svg");
        String out = run(0, "demo", "semaphore", "--seconds", "2", "--svg", svg.toString());

        Matcher m = Pattern.compile("At most (\\d) workers held a permit at once").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1, 3);
        assertThat(out).contains("t=1.0s: ", "worker 5", "Wrote " + svg);
        for (String row : out.lines().filter(l -> l.startsWith("worker ")).toList()) {
            assertThat(row).matches("worker \\d +[█░·]+");
        }

        Document doc =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        List<String> lanes = new ArrayList<>();
        NodeList texts = doc.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.getAttribute("class").equals("thread")) lanes.add(t.getTextContent());
        }
        assertThat(lanes).contains("worker 0", "worker 5");
        NodeList rects = doc.getElementsByTagName("rect");
        int holds = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            if (((Element) rects.item(i)).getAttribute("class").equals("hold")) holds++;
        }
        assertThat(holds).as("the workers held permits").isPositive();
    }

    @Test
    void philosophersTakingLeftThenRightDeadlockAndTheViewSaysWhoWaitsForWhom() {
        String out = run(0, "demo", "philosophers", "--seconds", "10");
        assertThat(out).contains("Deadlock: every philosopher holds the fork on their left");
        assertThat(out)
                .contains("waits for fork 1, holding fork 0  (parked on RawMutex \"fork 1\"");
    }

    @Test
    void philosophersTakingTheLowerForkFirstNeverDeadlock() {
        String out = run(0, "demo", "philosophers-ordered", "--seconds", "2");
        assertThat(out).contains("No deadlock: ");
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        assertThat(run(2, "demo", "juggling")).isEmpty();
    }
}
