package io.lockstep.os;

import java.util.Locale;

/**
 * The POSIX signals a program may want to react to, by their portable names. Only some of them
 * can be subscribed to ({@link #isHandleable()}); the others are listed so that asking for them
 * fails with a clear reason rather than an unknown name.
 *
 * <pre>{@code
 * Signal s = Signal.parse("SIGTERM");      // or "TERM", "term"
 * assert s == Signal.TERM && s.osName().equals("SIGTERM");
 * }</pre>
 */
public enum Signal {
    /** Hang-up: the terminal went away; daemons use it to reload their configuration. */
    HUP(null),
    /** Interrupt: Ctrl-C at a terminal. */
    INT(null),
    /** Quit: the JVM prints a thread dump on it (Ctrl-\); reserved. */
    QUIT("the JVM prints a thread dump on it"),
    /** Kill: cannot be caught by any process. */
    KILL("no process can catch it"),
    /** User-defined signal 1. */
    USR1(null),
    /** User-defined signal 2. */
    USR2(null),
    /** Segmentation fault: the JVM uses it for implicit null checks; reserved. */
    SEGV("the JVM uses it (implicit null checks, stack banging)"),
    /** Broken pipe: the JVM ignores it. */
    PIPE("the JVM ignores it, so that a closed socket is an IOException"),
    /** Alarm clock. */
    ALRM(null),
    /** Termination request: {@code kill <pid>}, a service manager stopping the process. */
    TERM(null),
    /** Stop: cannot be caught by any process. */
    STOP("no process can catch it"),
    /** Terminal stop (Ctrl-Z). */
    TSTP(null),
    /** Terminal window size changed. */
    WINCH(null),
    /** Continue after a stop. */
    CONT(null);

    private final String reservedBecause;

    Signal(String reservedBecause) {
        this.reservedBecause = reservedBecause;
    }

    /** The OS's name, e.g. {@code SIGTERM}. */
    public String osName() {
        return "SIG" + name();
    }

    /**
     * Whether user code may handle this signal at all (whatever the OS): false for the signals the
     * JVM keeps for itself and for those no process can catch. The OS may still lack a
     * handleable one (Windows has only INT and TERM of these); {@link OsSignals#isSupported} says.
     */
    public boolean isHandleable() {
        return reservedBecause == null;
    }

    /** Why it cannot be handled, or {@code null} if it can. */
    String reservedBecause() {
        return reservedBecause;
    }

    /**
     * The signal called {@code name}: {@code "TERM"}, {@code "SIGTERM"}, in any case.
     *
     * @throws IllegalArgumentException if no signal has that name
     */
    public static Signal parse(String name) {
        if (name == null) throw new NullPointerException("name");
        String upper = name.strip().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        for (Signal s : values()) {
            if (s.name().equals(bare)) return s;
        }
        throw new IllegalArgumentException("unknown signal '" + name + "'; known: " + java.util.Arrays.toString(values()));
    }
}
