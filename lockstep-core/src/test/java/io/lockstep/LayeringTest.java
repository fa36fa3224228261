package io.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the layering that {@code io/lockstep/package-info.java} and docs/ARCHITECTURE.md state:
 * every package, sub-packages included ({@code channel.flavors} is a package of its own, not part
 * of {@code channel}), imports only the packages below it. A new package must be placed here,
 * deliberately.
 */
class LayeringTest {
    private static final Set<String> INTERNAL = Set.of("internal", "internal.jfr");

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("internal", Set.of()),
            Map.entry("internal.jfr", Set.of("internal")),
            Map.entry("contention", INTERNAL),
            Map.entry("atomic", INTERNAL),
            Map.entry("park", INTERNAL),
            Map.entry("park.gate", with(INTERNAL, "park")),
            Map.entry("lockfree.ring", INTERNAL),
            Map.entry("lockfree", with(INTERNAL, "lockfree.ring")),
            Map.entry("local", INTERNAL),
            Map.entry("spin", with(INTERNAL, "park")),
            Map.entry("lock", with(INTERNAL, "park")),
            Map.entry("sync", with(INTERNAL, "park", "park.gate", "lock")),
            Map.entry("channel.waiting", with(INTERNAL, "park", "lock")),
            Map.entry("channel.flavors", with(INTERNAL, "park", "lock", "lockfree.ring", "channel.waiting")),
            Map.entry("channel", with(INTERNAL, "park", "park.gate", "lock", "lockfree", "lockfree.ring",
                    "channel.flavors", "channel.waiting")),
            Map.entry("rcu", with(INTERNAL, "park", "park.gate", "lock")),
            Map.entry("stm", with(INTERNAL, "park", "lock")),
            Map.entry("deadlock", with(INTERNAL, "park", "lock")),
            Map.entry("observe", with(INTERNAL, "park", "lock")),
            Map.entry("promise", INTERNAL));

    /** An import's package, relative to io.lockstep: the lower-case segments before the class. */
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.lockstep\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    @Test
    void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
        Path root = Path.of("src/main/java/io/lockstep");
        assertThat(root).isDirectory();
        List<String> violations = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(root)) {
            dirs = all.filter(Files::isDirectory).filter(d -> !d.equals(root)).toList();
        }
        for (Path dir : dirs) {
            String pkg = root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), ".");
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.add("io.lockstep." + pkg + " is not placed in a layer");
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
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
        assertThat(violations).isEmpty();
        assertThat(ALLOWED.keySet()).as("every layer still has a package")
                .containsExactlyInAnyOrderElementsOf(dirs.stream()
                        .map(d -> root.relativize(d).toString().replace(d.getFileSystem().getSeparator(), ".")).toList());
    }

    @Test
    void anUpwardEdgeBetweenSubPackagesIsCaught() {
        Matcher m = IMPORT.matcher("import io.lockstep.channel.flavors.Flavor;\nimport static io.lockstep.internal.WaitOutcome.DONE;\n");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("channel.flavors");
        assertThat(ALLOWED.get("channel.waiting")).as("plumbing must not reach up into the algorithms")
                .doesNotContain("channel.flavors", "channel");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("internal");
    }
}
