package io.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The recording behind {@code lockstep tour --jfr FILE}: the JDK's default settings with Lockstep's
 * own ({@code lockstep.jfc}, a resource of lockstep-core) on top, written to the file when the tour
 * ends; then a one-line count of the Lockstep events in it.
 */
final class JfrRecorder {
    private JfrRecorder() {}

    /** Starts a recording that writes {@code file} when stopped. */
    static Recording start(Path file) throws IOException, ParseException {
        Map<String, String> settings =
                new HashMap<>(Configuration.getConfiguration("default").getSettings());
        settings.putAll(lockstepSettings().getSettings());
        Recording recording = new Recording(settings);
        recording.setName("lockstep tour");
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
        return recording;
    }

    /** The settings file that lockstep-core ships. */
    static Configuration lockstepSettings() throws IOException, ParseException {
        try (InputStream in = JfrRecorder.class.getResourceAsStream("/lockstep.jfc")) {
            if (in == null) {
                throw new IOException(
                        "lockstep.jfc is missing from the classpath (it ships in lockstep-core)");
            }
            return Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /** Stops the recording (which writes the file) and says what Lockstep events it holds. */
    static void stop(Recording recording, Path file, PrintWriter out, PrintWriter err) {
        try (recording) {
            recording.stop();
            Map<String, Integer> counts = new TreeMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                String type = e.getEventType().getName();
                if (type.startsWith("io.lockstep.")) {
                    counts.merge(type.substring("io.lockstep.".length()), 1, Integer::sum);
                }
            }
            out.println(
                    "Recorded to "
                            + file
                            + ": "
                            + (counts.isEmpty()
                                    ? "no Lockstep event (no wait reached 20 ms)"
                                    : "Lockstep events "
                                            + counts.toString()
                                                    .replaceAll("[{}]", "")
                                                    .replace('=', ' ')));
        } catch (IOException e) {
            err.println("Cannot write the recording " + file + ": " + e.getMessage());
        }
    }
}
