package io.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checked rules of docs/API.md, by reflection over every public method of every public type
 * in the packages that module {@code io.lockstep} exports.
 */
class ApiConventionsTest {

    /** Lockstep's own methods that keep a JUC signature with (long, TimeUnit), and the JUC peer. */
    private static final Set<String> JUC_TIMED_SIGNATURES = Set.of(
            "io.lockstep.sync.Semaphore.tryAcquire",                // java.util.concurrent.Semaphore
            "io.lockstep.sync.Barrier.await");                      // java.util.concurrent.CyclicBarrier

    private static List<Method> methods;

    @BeforeAll
    static void publicApi() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target", "classes");
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        methods = new ArrayList<>();
        for (ModuleDescriptor.Exports export : module.exports()) {
            if (export.isQualified()) continue;                  // internal, to our own modules only
            Path dir = classes.resolve(export.source().replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("package-info.class")) continue;
                    Class<?> type = Class.forName(export.source() + "." + name.substring(0, name.length() - 6));
                    if (!isPublicApi(type)) continue;
                    for (Method m : type.getDeclaredMethods()) {
                        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) methods.add(m);
                    }
                }
            }
        }
        assertThat(methods).as("public methods found").hasSizeGreaterThan(300);
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) return false;
        }
        return true;
    }

    private static String name(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName();
    }

    /** Whether a JDK supertype declares this method (then its signature is not ours to choose). */
    private static boolean fromJdk(Method m) {
        for (Class<?> t : supertypes(m.getDeclaringClass())) {
            if (!t.getName().startsWith("java.")) continue;
            try {
                t.getMethod(m.getName(), m.getParameterTypes());
                return true;
            } catch (NoSuchMethodException e) {
                // not this one
            }
        }
        return false;
    }

    private static List<Class<?>> supertypes(Class<?> type) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            all.add(t);
            for (Class<?> i : t.getInterfaces()) all.addAll(supertypes(i));
        }
        return all;
    }

    @Test
    void timeoutsAreDurationsExceptInJucSignatures() {
        List<String> offenders = methods.stream()
                .filter(m -> Arrays.asList(m.getParameterTypes()).contains(TimeUnit.class))
                .filter(m -> !fromJdk(m) && !JUC_TIMED_SIGNATURES.contains(name(m)))
                .map(Method::toGenericString).toList();
        assertThat(offenders).as("(long, TimeUnit) outside a JUC signature: take a Duration").isEmpty();
    }

    @Test
    void untimedTryMethodsNeverWait() {
        List<String> offenders = methods.stream()
                .filter(m -> m.getName().startsWith("try") && m.getName().length() > 3
                        && Character.isUpperCase(m.getName().charAt(3)))
                .filter(m -> Arrays.stream(m.getParameterTypes())
                        .noneMatch(p -> p == java.time.Duration.class || p == TimeUnit.class))
                .filter(m -> Arrays.asList(m.getExceptionTypes()).contains(InterruptedException.class))
                .map(Method::toGenericString).toList();
        assertThat(offenders).as("try… without a timeout must not wait (nor throw InterruptedException)").isEmpty();
    }

    @Test
    void uninterruptibleFormsDoNotThrowInterruptedException() {
        List<String> offenders = methods.stream()
                .filter(m -> m.getName().endsWith("Uninterruptibly"))
                .filter(m -> Arrays.asList(m.getExceptionTypes()).contains(InterruptedException.class))
                .map(Method::toGenericString).toList();
        assertThat(offenders).isEmpty();
        assertThat(methods).as("the rule has something to check").anyMatch(m -> m.getName().endsWith("Uninterruptibly"));
    }

    /** Where a blocking wait needs an uninterruptible twin (docs/API.md, "Interruptibility"). */
    private static final Set<String> UNINTERRUPTIBLE_TWIN_PACKAGES = Set.of("io.lockstep.sync", "io.lockstep.lock");

    /**
     * Untimed interruptible waits deliberately without an uninterruptible twin, with the reason.
     * Empty today; an entry needs a reason a reviewer accepts.
     */
    private static final Set<String> NO_UNINTERRUPTIBLE_TWIN = Set.of();

    @Test
    void untimedInterruptibleWaitsHaveAnUninterruptibleTwin() {
        List<String> offenders = methods.stream()
                .filter(m -> UNINTERRUPTIBLE_TWIN_PACKAGES.contains(m.getDeclaringClass().getPackageName()))
                .filter(m -> throwsInterrupted(m) && !isTimed(m))
                .filter(m -> !NO_UNINTERRUPTIBLE_TWIN.contains(name(m)))
                .filter(m -> uninterruptibleTwin(m) == null)
                .map(Method::toGenericString).toList();
        assertThat(offenders).as("an untimed interruptible wait has a twin that ignores interrupts: "
                + "x() → xUninterruptibly(), or xInterruptibly() → x() (the Lock style)").isEmpty();
        assertThat(methods).as("the rule has something to check")
                .anyMatch(m -> UNINTERRUPTIBLE_TWIN_PACKAGES.contains(m.getDeclaringClass().getPackageName())
                        && throwsInterrupted(m) && !isTimed(m));
    }

    private static boolean throwsInterrupted(Method m) {
        return Arrays.asList(m.getExceptionTypes()).contains(InterruptedException.class);
    }

    /** A timed wait: a timeout (Duration, long with a TimeUnit, JUC Condition's nanos or Date). */
    private static boolean isTimed(Method m) {
        List<Class<?>> params = Arrays.asList(m.getParameterTypes());
        return params.contains(java.time.Duration.class) || params.contains(TimeUnit.class)
                || params.contains(java.util.Date.class) || m.getName().endsWith("Nanos");
    }

    /**
     * The twin of {@code m} with the same parameters that does not throw InterruptedException:
     * {@code xUninterruptibly} for {@code x}, or {@code x} for {@code xInterruptibly}.
     */
    private static Method uninterruptibleTwin(Method m) {
        String n = m.getName();
        String twin = n.endsWith("Interruptibly") ? n.substring(0, n.length() - "Interruptibly".length()) : n + "Uninterruptibly";
        try {
            Method t = m.getDeclaringClass().getMethod(twin, m.getParameterTypes());
            return throwsInterrupted(t) ? null : t;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @Test
    void closeReturnsWhetherThisCallClosedExceptOnAutoCloseables() {
        List<Method> closes = methods.stream()
                .filter(m -> m.getName().equals("close") && m.getParameterCount() == 0).toList();
        List<String> offenders = closes.stream()
                .filter(m -> m.getReturnType() != (AutoCloseable.class.isAssignableFrom(m.getDeclaringClass())
                        ? void.class : boolean.class))
                .map(Method::toGenericString).toList();
        assertThat(offenders).as("close() returns boolean (this call closed it); a guard or handle that is "
                + "AutoCloseable keeps void close()").isEmpty();
        assertThat(closes).as("the rule has something to check").anyMatch(m -> m.getReturnType() == boolean.class);
    }

    @Test
    void methodsReturningFuturesAreNamedAsync() {
        List<String> offenders = methods.stream()
                .filter(m -> CompletionStage.class.isAssignableFrom(m.getReturnType()))
                .filter(m -> !m.getName().endsWith("Async"))
                .filter(m -> !declaredBy(CompletableFuture.class, m))
                .filter(m -> !isCombinatorOrConversion(m))
                .map(Method::toGenericString).toList();
        assertThat(offenders).as("a method returning a future is named …Async").isEmpty();
        assertThat(methods).as("the rule has something to check")
                .anyMatch(m -> CompletionStage.class.isAssignableFrom(m.getReturnType()));
    }

    /**
     * Futures in, a future out (io.lockstep.promise's combinators), or a view of what this object
     * already is ({@code toFuture}, {@code as…}): these start no operation, so they keep their names.
     */
    private static boolean isCombinatorOrConversion(Method m) {
        return m.getDeclaringClass().getPackageName().equals("io.lockstep.promise")
                || m.getName().startsWith("to") || m.getName().startsWith("as");
    }

    private static boolean declaredBy(Class<?> jdkType, Method m) {
        try {
            jdkType.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
