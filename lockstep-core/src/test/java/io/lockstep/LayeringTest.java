package io.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the layering that {@code io/lockstep/package-info.java} states: every package imports
 * only the packages below it. A new package must be placed here, deliberately.
 */
class LayeringTest {
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("internal", Set.of()),
            Map.entry("atomic", Set.of("internal")),
            Map.entry("park", Set.of("internal")),
            Map.entry("lockfree", Set.of("internal")),
            Map.entry("local", Set.of("internal")),
            Map.entry("spin", Set.of("internal", "park")),
            Map.entry("lock", Set.of("internal", "park")),
            Map.entry("sync", Set.of("internal", "park", "lock")),
            Map.entry("channel", Set.of("internal", "park", "lock", "lockfree")),
            Map.entry("rcu", Set.of("internal", "park", "lock")),
            Map.entry("stm", Set.of("internal", "park", "lock")),
            Map.entry("deadlock", Set.of("internal", "park", "lock")),
            Map.entry("observe", Set.of("internal", "park", "lock")),
            Map.entry("promise", Set.of("internal")),
            Map.entry("contention", Set.of("internal")));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.lockstep\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
        Path root = Path.of("src/main/java/io/lockstep");
        assertThat(root).isDirectory();
        List<String> violations = new ArrayList<>();
        try (Stream<Path> packages = Files.list(root)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add("io.lockstep." + pkg + " is not placed in a layer");
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher m = IMPORT.matcher(Files.readString(file));
                        while (m.find()) {
                            String target = m.group(1);
                            if (!target.equals(pkg) && !allowed.contains(target)) {
                                violations.add(root.relativize(file) + " imports io.lockstep." + target);
                            }
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
