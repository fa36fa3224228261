package io.lockstep.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** In-process JFR recordings for tests of Lockstep's events: record a body, read the events back. */
public final class JfrRecording {
    private JfrRecording() {}

    /** The shipped settings file ({@code lockstep.jfc}, at lockstep-core's resource root). */
    public static Configuration lockstepSettings() throws Exception {
        try (InputStream in = JfrRecording.class.getResourceAsStream("/lockstep.jfc")) {
            if (in == null) throw new AssertionError("lockstep.jfc is not a resource of lockstep-core");
            return Configuration.create(new InputStreamReader(in, UTF_8));
        }
    }

    /** Runs {@code body} under a recording with {@code settings}; returns the io.lockstep.* events, from the file. */
    public static List<RecordedEvent> record(Configuration settings, TestThread.Body body) throws Throwable {
        Path file = Files.createTempFile("lockstep-test", ".jfr");
        try {
            try (Recording recording = new Recording(settings)) {
                recording.start();
                body.run();
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> ours = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().startsWith("io.lockstep.")) ours.add(e);
            }
            return ours;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
