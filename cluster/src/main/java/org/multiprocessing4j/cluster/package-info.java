/**
 * The same {@link org.multiprocessing4j.Pool} on a Hazelcast cluster, with worker JVMs on every member:
 * {@link org.multiprocessing4j.cluster.Member} runs a member, {@link org.multiprocessing4j.cluster.Cluster}
 * connects a driver to the members and gives it pools.
 *
 * <p>What crosses the cluster is signed with HMAC-SHA256 under the authkey, and checked before anything is
 * deserialized; it is encrypted only where {@code -Dmultiprocessing4j.cluster.encrypt=true} is given, to
 * the driver and every member. A member reads none of a driver's functions, arguments or results: only
 * the worker JVMs do.
 */
package org.multiprocessing4j.cluster;
