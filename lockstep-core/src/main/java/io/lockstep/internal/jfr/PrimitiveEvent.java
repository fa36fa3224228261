package io.lockstep.internal.jfr;

import io.lockstep.internal.Names;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The fields every Lockstep event about one primitive carries: how reports show it, its name,
 * its class and its identity hash (two primitives with one name stay apart). The waiting thread
 * is the event's thread; the wait time its duration.
 *
 * <p>Disabled by default, with a 20 ms threshold: a recording turns them on with
 * {@code lockstep.jfc} (a resource of this jar) or its own settings.
 */
@Category({"Lockstep"})
@Enabled(false)
@Threshold("20 ms")
@StackTrace(true)
abstract class PrimitiveEvent extends Event {
    @Label("Primitive")
    @Description("The primitive as reports show it: Type \"name\", or Type@identity when unnamed")
    String primitive;

    @Label("Name")
    @Description("The name given with named(String), or null")
    String name;

    @Label("Primitive Class")
    Class<?> primitiveClass;

    @Label("Identity")
    @Description("System.identityHashCode of the primitive")
    int identity;

    /** Fills the primitive's fields; call only once shouldCommit() said yes. */
    final void describe(Object p) {
        name = Names.of(p);
        primitive = Names.describe(p);
        primitiveClass = p.getClass();
        identity = System.identityHashCode(p);
    }
}
