package io.lockstep.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thread-scaling results: JMH's CSV output ({@code -rf csv}) of runs at several thread counts,
 * possibly several runs concatenated (each with its own header line), as in docs/results.
 *
 * @param file where it came from
 * @param curves benchmark (class.method) → impl → threads → score
 * @param units benchmark → the score's unit
 */
public record ScalingCsv(
        Path file,
        Map<String, Map<String, TreeMap<Integer, Double>>> curves,
        Map<String, String> units) {

    /** Reads one CSV; rows without an {@code impl} column are named by their benchmark alone. */
    public static ScalingCsv read(Path file) throws IOException {
        Map<String, Map<String, TreeMap<Integer, Double>>> curves = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        List<String> header = List.of();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            List<String> cells = cells(line);
            if (cells.get(0).equals("Benchmark")) {
                header = cells;
                continue;
            }
            int b = header.indexOf("Benchmark");
            int t = header.indexOf("Threads");
            int s = header.indexOf("Score");
            int u = header.indexOf("Unit");
            int impl = header.indexOf("Param: impl");
            if (b < 0 || t < 0 || s < 0 || cells.size() < header.size()) {
                throw new IOException(
                        file + " is not JMH CSV: a row before a header, or a short row: " + line);
            }
            String[] parts = cells.get(b).split("\\.");
            String bench =
                    parts.length < 2
                            ? cells.get(b)
                            : parts[parts.length - 2] + "." + parts[parts.length - 1];
            String series = impl < 0 ? bench : cells.get(impl);
            try {
                curves.computeIfAbsent(bench, k -> new LinkedHashMap<>())
                        .computeIfAbsent(series, k -> new TreeMap<>())
                        .put(Integer.parseInt(cells.get(t)), Double.parseDouble(cells.get(s)));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": a row with a bad number: " + line, e);
            }
            if (u >= 0) units.put(bench, cells.get(u));
        }
        return new ScalingCsv(file, curves, units);
    }

    /**
     * The cells of one CSV line (quoted or not; JMH quotes no comma inside a cell but a param may).
     */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
