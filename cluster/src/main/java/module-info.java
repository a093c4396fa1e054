/**
 * multiprocessing4j on a Hazelcast cluster: the same {@code Pool}, its worker JVMs on every member.
 *
 * <p>Only {@code org.multiprocessing4j.cluster} is API; {@code org.multiprocessing4j.cluster.internal} may
 * change without notice.
 */
@SuppressWarnings("requires-automatic") // Hazelcast's jar names its module in its manifest alone
module org.multiprocessing4j.cluster {
    requires transitive org.multiprocessing4j;
    requires com.hazelcast.core;
    requires java.logging; // Hazelcast logs through java.util.logging: its level is set below warnings
    exports org.multiprocessing4j.cluster;
}
