package io.lockstep.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the log that {@link IpcChild}'s rounds append ("enter WHO" / "exit WHO", WHO =
 * PID-THREAD) and measures it: how many were inside at most, and how many sections completed.
 */
record CriticalLog(int maxInside, int sections, int processes, List<String> problems) {

    static CriticalLog read(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        Set<String> inside = new HashSet<>();
        Set<String> pids = new HashSet<>();
        List<String> problems = new java.util.ArrayList<>();
        int max = 0, sections = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String who = line.substring(line.indexOf(' ') + 1);
            pids.add(who.substring(0, who.indexOf('-')));
            if (line.startsWith("enter ")) {
                if (!inside.add(who)) problems.add("line " + (i + 1) + ": " + who + " entered twice");
                max = Math.max(max, inside.size());
            } else if (!inside.remove(who)) {
                problems.add("line " + (i + 1) + ": " + who + " left without entering");
            } else {
                sections++;
            }
        }
        if (!inside.isEmpty()) problems.add("never left: " + inside);
        return new CriticalLog(max, sections, pids.size(), problems);
    }
}
