package io.lockstep.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Event;
import jdk.jfr.Name;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event class Lockstep emits (through {@link Jfr}) is switched on by the shipped
 * {@code lockstep.jfc}, under the name the class declares: a renamed event or a new one missing
 * from the file would silently never be recorded. The classes are looked up without being
 * initialized, as {@link Jfr} requires (initializing an event class registers it with JFR).
 */
class JfrSettingsTest {

    static List<String> eventClasses() {
        return List.of("ContendedAcquireJfrEvent", "ContendedHoldEvent", "ChannelWaitEvent", "SyncWaitEvent",
                "StmRetryEvent", "StmConflictEvent", "RcuGracePeriodEvent", "DeadlockFoundEvent",
                "LockOrderViolationEvent");
    }

    private static String jfc() throws IOException {
        try (InputStream in = Jfr.class.getClassLoader().getResourceAsStream("lockstep.jfc")) {
            assertThat(in).as("lockstep.jfc on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @MethodSource("eventClasses")
    void lockstepJfcEnablesTheEventUnderItsDeclaredName(String simpleName) throws Exception {
        Class<?> type = Class.forName(Jfr.class.getPackageName() + "." + simpleName, false, Jfr.class.getClassLoader());
        assertThat(Event.class).isAssignableFrom(type);
        Name name = type.getAnnotation(Name.class);
        assertThat(name).as("%s declares its JFR name", simpleName).isNotNull();
        assertThat(name.value()).startsWith("io.lockstep.");
        Matcher m = Pattern.compile("<event name=\"" + Pattern.quote(name.value()) + "\">(.*?)</event>", Pattern.DOTALL)
                .matcher(jfc());
        assertThat(m.find()).as("lockstep.jfc has %s", name.value()).isTrue();
        assertThat(m.group(1)).contains("<setting name=\"enabled\">true</setting>");
    }
}
