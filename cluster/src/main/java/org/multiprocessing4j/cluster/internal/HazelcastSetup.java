package org.multiprocessing4j.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How members and drivers configure Hazelcast: one cluster name, TCP/IP join only (multicast and
 * auto-detection off), a member bound to the interface it is given, no join wait, failure detection in a
 * few seconds, no phone-home, Java serialization filtered to Hazelcast's own classes, our {@link Parcel}
 * by its factory, and Hazelcast's log quiet below errors unless the user configured logging.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code multiprocessing4j.cluster.failureSeconds}: how long a silent member (or driver) is
 *       waited for before it counts as gone; default {@value #DEFAULT_FAILURE_SECONDS}.</li>
 * </ul>
 */
public final class HazelcastSetup {
    static final int DEFAULT_FAILURE_SECONDS = 5;
    /**
     * The executor for calls that wait (a STOP or a BYE waits for its pools' workers to end), and the one
     * that answers everything else at once. Tasks do not go through Hazelcast: see {@link Link}.
     */
    public static final String WAITS = "mp4j-waits", CONTROL = "mp4j-control";
    /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private HazelcastSetup() {
    }

    /** Seconds of silence after which a member or driver counts as gone. */
    public static int failureSeconds() {
        return Integer.getInteger("multiprocessing4j.cluster.failureSeconds", DEFAULT_FAILURE_SECONDS);
    }

    /**
     * A member's config.
     *
     * @param host an IP address of this machine, the one interface bound
     * @param joins the other members' {@code HOST:PORT}
     */
    public static Config member(String clusterName, String host, int port, List<String> joins) {
        quietLogs();
        Config c = new Config();
        c.setClusterName(clusterName);
        common(c::setProperty);
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(failureSeconds()));
        c.setProperty("hazelcast.client.max.no.heartbeat.seconds", Integer.toString(failureSeconds()));
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).addMember(host + ":" + port);
        joins.forEach(j.getTcpIpConfig()::addMember);
        c.getJetConfig().setEnabled(false);
        // metrics are for Hazelcast's Management Center, which a member here never reports to: their
        // collection every 5 s cost an idle member CPU and JIT compilations, on the cores its workers use
        c.getMetricsConfig().setEnabled(false);
        c.getExecutorConfig(WAITS).setPoolSize(16).setStatisticsEnabled(false);
        c.getExecutorConfig(CONTROL).setPoolSize(8).setStatisticsEnabled(false);
        serialization(c.getSerializationConfig());
        return c;
    }

    /** A driver's config: a client of the members at {@code addresses}, which fails after {@code connectMillis}. */
    public static ClientConfig driver(String clusterName, List<String> addresses, long connectMillis) {
        quietLogs();
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        common(c::setProperty);
        c.setProperty("hazelcast.client.heartbeat.interval", "1000");
        c.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(failureSeconds() * 1000L));
        c.setProperty("hazelcast.client.statistics.enabled", "false");
        c.getMetricsConfig().setEnabled(false);
        c.getNetworkConfig().setAddresses(addresses).getClusterRoutingConfig().setRoutingMode(RoutingMode.ALL_MEMBERS);
        c.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectMillis);
        serialization(c.getSerializationConfig());
        return c;
    }

    private interface Properties {
        Object set(String name, String value);
    }

    private static void common(Properties p) {
        p.set("hazelcast.phone.home.enabled", "false");
        p.set("hazelcast.logging.type", "jdk");
        p.set("hazelcast.shutdownhook.enabled", "false");
    }

    private static void serialization(SerializationConfig s) {
        s.addDataSerializableFactory(Parcel.FACTORY_ID, Parcel.FACTORY);
        // Java serialization admits Hazelcast's default list alone (its own classes and the JDK's basic ones:
        // members send each other exceptions that way, and a list of Hazelcast's classes alone refuses them).
        // Our traffic is parcels, which Hazelcast reads as a length and bytes, never Java-serialized.
        s.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig().setDefaultsDisabled(false));
    }

    /**
     * Hazelcast's own log says what its connections do (a member gone is a page of warnings and stack
     * traces on every JVM that knew it; each start without {@code --add-opens} warns too): below errors it
     * is off, since the pool says what matters to the user (a task that failed, a member refused). A user
     * who configured {@code java.util.logging}, or the {@code com.hazelcast} logger, decides.
     */
    private static void quietLogs() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null
                && HAZELCAST_LOG.getLevel() == null) {
            HAZELCAST_LOG.setLevel(Level.SEVERE);
        }
    }
}
