package io.lockstep.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field or method as accessed only while holding the named lock, as Guava's and
 * Error Prone's {@code @GuardedBy} do. Lockstep keeps its own copy so that lockstep-core has
 * no dependency; source retention, so it costs nothing at run time.
 *
 * <pre>{@code
 * @GuardedBy("bucket") WaitNode head;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {
    /** The lock, named as the code names it ({@code "this"}, a field, or a description). */
    String value();
}
