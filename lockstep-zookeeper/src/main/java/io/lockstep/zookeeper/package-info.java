/**
 * Distributed primitives on Apache ZooKeeper, with fencing tokens. Start at
 * {@link io.lockstep.zookeeper.Coordinator}; the storage side of the fencing design is
 * {@link io.lockstep.zookeeper.FencedStore}.
 *
 * <p>Module: the jar is the automatic module {@code io.lockstep.zookeeper} (a manifest
 * Automatic-Module-Name), not an explicit one. ZooKeeper 3.9.5 splits packages between its jars
 * ({@code org.apache.zookeeper.server.quorum} and {@code .persistence} are in both
 * {@code zookeeper} and {@code zookeeper-jute}), so no explicit module that requires them
 * compiles; put this library on the class path, or on the module path with ZooKeeper on the
 * class path.
 */
package io.lockstep.zookeeper;
