/**
 * Lockstep across processes on one host: OS signals delivered to Lockstep primitives
 * ({@link io.lockstep.os.OsSignals}, {@link io.lockstep.os.ShutdownSignal}) and inter-process
 * locks and channels ({@link io.lockstep.os.FileMutex}, {@link io.lockstep.os.SharedSemaphore},
 * {@link io.lockstep.os.IpcChannel}).
 * A module of its own because it needs {@code jdk.unsupported} ({@code sun.misc.Signal}); the
 * core module {@code io.lockstep} stays portable and dependency-free.
 */
module io.lockstep.os {
    requires transitive io.lockstep;
    requires jdk.unsupported;

    exports io.lockstep.os;
}
