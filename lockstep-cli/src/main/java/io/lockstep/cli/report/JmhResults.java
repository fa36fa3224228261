package io.lockstep.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JMH results (its JSON output), grouped the way BENCHMARKS.md compares them: one group per
 * benchmark method, thread count and parameters other than {@code impl}, and in a group Lockstep
 * ({@code impl=lockstep}) against each peer. A benchmark without {@code impl} makes one group per
 * method and thread count, its results side by side.
 */
public final class JmhResults {
    /*
     * Implementation notes.
     *
     * A ratio is oriented so that above 1 means Lockstep is better: Lockstep ÷ peer for throughput
     * modes, peer ÷ Lockstep for time per operation (avgt, sample, ss). It is taken on the median
     * of the per-fork scores (a fork's score: the mean of its measurement iterations), as
     * BENCHMARKS.md does; the range is the lowest and highest ratio over every pair of forks.
     */

    /** One result row: a benchmark with one set of parameters. */
    public record Result(
            String benchmark,
            String mode,
            int threads,
            Map<String, String> params,
            double score,
            String unit,
            double[] forkScores,
            String jdk,
            String vm) {
        /** The benchmark's class and method, without the package. */
        public String shortName() {
            String[] parts = benchmark.split("\\.");
            return parts.length < 2
                    ? benchmark
                    : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        double median() {
            return JmhResults.median(forkScores.length == 0 ? new double[] {score} : forkScores);
        }

        boolean higherIsBetter() {
            return mode.equals("thrpt");
        }
    }

    /** Lockstep against one peer in one group. */
    public record Ratio(
            String peer, double ratio, double low, double high, Result lockstep, Result other) {}

    /** Results that share a benchmark, a thread count and every parameter but {@code impl}. */
    public record Group(String title, List<Result> results) {
        /** The {@code impl=lockstep} result, if the group has one. */
        public Result lockstep() {
            return results.stream()
                    .filter(r -> "lockstep".equals(r.params().get("impl")))
                    .findFirst()
                    .orElse(null);
        }

        /**
         * Lockstep against every other impl, in the order they ran, except its own variants ({@code
         * lockstepfair}); empty without a Lockstep result.
         */
        public List<Ratio> ratios() {
            Result l = lockstep();
            List<Ratio> ratios = new ArrayList<>();
            if (l == null) return ratios;
            for (Result p : results) {
                String impl = p.params().get("impl");
                if (p == l || impl == null || impl.startsWith("lockstep"))
                    continue; // lockstepfair: a variant, not a peer
                ratios.add(
                        new Ratio(
                                p.params().get("impl"),
                                oriented(l, l.median(), p.median()),
                                range(l, p, true),
                                range(l, p, false),
                                l,
                                p));
            }
            return ratios;
        }
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /** Reads JMH JSON result files (each an array of results). */
    public static JmhResults read(Collection<Path> files) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Path f : files) {
            Object parsed;
            try {
                parsed = Json.parse(Files.readString(f));
            } catch (IllegalArgumentException e) {
                throw new IOException(f + " is not JMH JSON: " + e.getMessage(), e);
            }
            if (!(parsed instanceof List<?> list))
                throw new IOException(f + " is not JMH JSON: not an array of results");
            for (Object o : list) results.add(result(f, o));
        }
        return new JmhResults(results);
    }

    @SuppressWarnings("unchecked")
    private static Result result(Path f, Object o) throws IOException {
        if (!(o instanceof Map<?, ?> m)
                || !(m.get("primaryMetric") instanceof Map<?, ?> pm)
                || !(m.get("benchmark") instanceof String b)) {
            throw new IOException(
                    f + " is not JMH JSON: a result without benchmark or primaryMetric");
        }
        Map<String, String> params = new TreeMap<>();
        if (m.get("params") instanceof Map<?, ?> p)
            p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
        List<Double> forks = new ArrayList<>();
        if (pm.get("rawData") instanceof List<?> raw) {
            for (Object fork : raw) {
                double[] it =
                        ((List<Object>) fork)
                                .stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
                if (it.length > 0) forks.add(Arrays.stream(it).average().orElseThrow());
            }
        }
        return new Result(
                b,
                String.valueOf(m.get("mode")),
                ((Number) m.get("threads")).intValue(),
                params,
                ((Number) pm.get("score")).doubleValue(),
                String.valueOf(pm.get("scoreUnit")),
                forks.stream().mapToDouble(Double::doubleValue).toArray(),
                String.valueOf(m.get("jdkVersion")),
                String.valueOf(m.get("vmName")));
    }

    /** All results, in file order. */
    public List<Result> results() {
        return results;
    }

    /** The groups, in the order their first result appears. */
    public List<Group> groups() {
        Map<String, List<Result>> groups = new LinkedHashMap<>();
        for (Result r : results) {
            // With an impl, the other params tell groups apart; without one, the params are what
            // the
            // group's bars compare (JfrOverheadBench's jfr=off/on).
            Map<String, String> others = new TreeMap<>(r.params());
            if (others.remove("impl") == null) others.clear();
            String title =
                    r.shortName()
                            + " ("
                            + r.threads()
                            + (r.threads() == 1 ? " thread" : " threads")
                            + (others.isEmpty()
                                    ? ""
                                    : ", " + others.toString().replaceAll("[{}]", ""))
                            + ")";
            groups.computeIfAbsent(title, k -> new ArrayList<>()).add(r);
        }
        List<Group> list = new ArrayList<>();
        groups.forEach((t, rs) -> list.add(new Group(t, rs)));
        return list;
    }

    static double oriented(Result lockstep, double l, double p) {
        return lockstep.higherIsBetter() ? l / p : p / l;
    }

    private static double range(Result l, Result p, boolean low) {
        double[] lf = l.forkScores().length == 0 ? new double[] {l.score()} : l.forkScores();
        double[] pf = p.forkScores().length == 0 ? new double[] {p.score()} : p.forkScores();
        double best = low ? Double.MAX_VALUE : -Double.MAX_VALUE;
        for (double a : lf) {
            for (double b : pf) {
                double r = oriented(l, a, b);
                best = low ? Math.min(best, r) : Math.max(best, r);
            }
        }
        return best;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
