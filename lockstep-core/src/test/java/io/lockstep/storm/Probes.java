package io.lockstep.storm;

import java.lang.reflect.Method;

/**
 * Package-private state queries of the primitives, read by reflection (tests run on the class
 * path, so nothing is encapsulated): the storms check that nothing stays registered.
 */
final class Probes {
    private Probes() {}

    /** How many waits are registered on a channel ({@code Channel.registrations()}). */
    static int registrations(Object channel) {
        try {
            Method m = channel.getClass().getDeclaredMethod("registrations");
            m.setAccessible(true);
            return (int) m.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Channel.registrations() is gone: " + e, e);
        }
    }
}
