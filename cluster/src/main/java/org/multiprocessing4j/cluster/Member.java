package org.multiprocessing4j.cluster;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.cluster.internal.BodyCipher;
import org.multiprocessing4j.cluster.internal.ClusterWire;
import org.multiprocessing4j.cluster.internal.Envelope;
import org.multiprocessing4j.cluster.internal.HazelcastSetup;
import org.multiprocessing4j.cluster.internal.LaneServer;
import org.multiprocessing4j.cluster.internal.MemberService;
import org.multiprocessing4j.cluster.internal.Parcel;
import org.multiprocessing4j.internal.runtime.ExitActions;
import org.multiprocessing4j.internal.runtime.StartMethod;

/**
 * A member of a cluster: a Hazelcast member whose worker JVMs run the tasks of the drivers' pools.
 *
 * <pre>
 *   java -cp app.jar:&lt;its dependencies&gt; org.multiprocessing4j.cluster.Member \
 *        --cluster NAME --bind 127.0.0.1:5701 [--join HOST:PORT[,HOST:PORT…]] [--workers N] --authkey-file PATH
 * </pre>
 *
 * <ul>
 *   <li>{@code --bind}: the interface and port the member listens on (one interface only; give
 *       {@code 127.0.0.1} to stay on this machine), and the address drivers and members use for it.
 *       Drivers reach a second port on that interface, a free one the member picks and tells them (a
 *       firewall between drivers and members must let them reach it). The member's workers connect to
 *       their driver, and take its tasks from there: the member runs no task and reads none.</li>
 *   <li>{@code --join}: other members to join; they need not all be up. A member joins by TCP/IP alone.</li>
 *   <li>{@code --workers}: the worker JVMs it runs for each pool (default: its processor count).</li>
 *   <li>{@code --authkey-file}: the cluster's key is this file's bytes, exactly (no decoding, no
 *       trimming): the bytes drivers pass to {@link Cluster#connect}. Never on the command line.</li>
 * </ul>
 *
 * <p>It prints one line, {@code member ready HOST:PORT}, on stdout once it accepts work. A member whose
 * authkey every other member refuses prints why ({@code AuthenticationError: ...}) and exits with 1, as
 * does one that cannot start (its port taken, say: the exception on stderr). SIGTERM drains it: its
 * drivers send it no new task, its workers finish those they hold (at most 30 s), and it leaves the cluster, exiting with 143 as
 * a JVM ended by SIGTERM does; drivers run its tasks elsewhere. Unknown or missing flags: a usage
 * message, exit code 2. It can also be a child process of another JVM,
 * {@code new Process(() -> Member.main(args))}: it dies with its parent, and its workers with it.
 */
public final class Member {
    private static final String USAGE = "usage: Member --cluster NAME --bind HOST:PORT [--join HOST:PORT[,HOST:PORT...]]"
            + " [--workers N] --authkey-file PATH";
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private Member() {
    }

    /** The flags, checked. */
    private record Options(String cluster, String host, int port, List<String> joins, int workers, Path authkeyFile) {
    }

    /**
     * Runs a member until it is stopped (SIGTERM drains it) or it leaves the cluster; see the class
     * description for the flags, what it prints and its exit codes.
     */
    public static void main(String[] args) {
        Options o;
        byte[] authkey;
        try {
            o = parse(args);
            authkey = Files.readAllBytes(o.authkeyFile());
            if (authkey.length == 0) {
                throw new IllegalArgumentException("the authkey file " + o.authkeyFile() + " is empty");
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("Member: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        String address = o.host() + ":" + o.port();
        MemberService service = new MemberService(authkey, address, o.workers(),
                StartMethod.of(Multiprocessing.getStartMethod()));
        LaneServer lanes = LaneServer.start(o.host(), authkey, service); // drivers' tasks come here
        var config = HazelcastSetup.member(o.cluster(), o.host(), o.port(), o.joins());
        config.getUserContext().put(MemberService.CONTEXT_KEY, service);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        service.started(hz.getCluster().getLocalMember().getUuid(), lanes.address());
        // a driver's session is its client's UUID: when Hazelcast sees it gone (and not back), its workers here
        // are killed (and sooner when the driver's lane closes: see LaneServer)
        hz.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {
            }

            @Override
            public void clientDisconnected(Client client) {
                UUID id = client.getUuid();
                service.clientGone(id, () -> hz.getClientService().getConnectedClients().stream()
                        .anyMatch(c -> c.getUuid().equals(id)));
            }
        });
        CountDownLatch gone = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                gone.countDown();
            }
        });
        String refused = checkKey(hz, authkey);
        if (refused != null) {
            System.err.println("AuthenticationError: the member " + address + " cannot join the cluster '" + o.cluster()
                    + "': " + refused);
            hz.getLifecycleService().terminate();
            System.exit(1);
            return;
        }
        ExitActions.jvm().at(ExitActions.Stage.DRAIN, () -> {
            service.drain(DRAIN);
            lanes.close();
            hz.shutdown();
        });
        System.out.println("member ready " + address);
        System.out.flush();
        try {
            gone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Says HELLO to every other member: null if one welcomed this member's key (or none answered, or
     * there is none), else why they all refused it. A refusal is not signed (a member with another key
     * cannot sign one this member could check), so one member's word is not enough: if the first member
     * of a cluster has the wrong key, the others still start, and drivers refuse that one.
     */
    private static String checkKey(HazelcastInstance hz, byte[] authkey) {
        List<String> refusals = new ArrayList<>();
        boolean welcomed = false;
        for (com.hazelcast.cluster.Member other : hz.getCluster().getMembers()) {
            if (other.localMember()) {
                continue;
            }
            byte[] nonce = new byte[ClusterWire.NONCE_BYTES];
            new java.security.SecureRandom().nextBytes(nonce);
            byte[] hello = new Envelope(ClusterWire.HELLO, hz.getCluster().getLocalMember().getUuid(), 0,
                    ClusterWire.hello(new ClusterWire.Hello(nonce, ClusterWire.MEMBER, 0, other.getUuid(),
                            BodyCipher.enabled()))).seal(authkey);
            try {
                byte[] reply = hz.getExecutorService(HazelcastSetup.CONTROL).submitToMember(new Parcel(hello), other)
                        .get(30, TimeUnit.SECONDS);
                if (Envelope.kindOf(reply) == ClusterWire.REFUSED) {
                    ClusterWire.Refusal r = Envelope.openRefusal(reply);
                    if (r.wrongKey()) {
                        refusals.add(r.reason());
                    }
                } else {
                    ClusterWire.Welcome w = ClusterWire.readWelcome(Envelope.open(reply, authkey).body());
                    welcomed |= java.util.Arrays.equals(w.driverNonce(), nonce);
                }
            } catch (org.multiprocessing4j.AuthenticationError e) {
                refusals.add("the member " + other.getAddress() + " answers with another authkey");
            } catch (Exception e) {
                // it did not answer: the drivers check each member's key anyway
            }
        }
        return welcomed || refusals.isEmpty() ? null : String.join("; ", refusals);
    }

    private static Options parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value;
            if (a.startsWith("--") && a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("no value for " + a);
            }
            if (!List.of("--cluster", "--bind", "--join", "--workers", "--authkey-file").contains(a)) {
                throw new IllegalArgumentException("unknown flag " + a);
            }
            if (flags.put(a, value) != null) {
                throw new IllegalArgumentException(a + " given twice");
            }
        }
        for (String required : List.of("--cluster", "--bind", "--authkey-file")) {
            if (!flags.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        String[] bind = hostPort(flags.get("--bind"));
        String host;
        try {
            host = InetAddress.getByName(bind[0]).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + bind[0] + " in --bind");
        }
        List<String> joins = new ArrayList<>();
        if (flags.containsKey("--join")) {
            for (String j : flags.get("--join").split(",")) {
                String[] hp = hostPort(j.trim());
                joins.add(hp[0] + ":" + hp[1]);
            }
        }
        int workers = Multiprocessing.cpuCount();
        if (flags.containsKey("--workers")) {
            try {
                workers = Integer.parseInt(flags.get("--workers"));
            } catch (NumberFormatException e) {
                workers = 0;
            }
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be a positive number, not " + flags.get("--workers"));
            }
        }
        return new Options(flags.get("--cluster"), host, Integer.parseInt(bind[1]), joins,
                workers, Path.of(flags.get("--authkey-file")));
    }

    private static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || !s.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(s.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("not HOST:PORT: '" + s + "'");
        }
        return new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }
}
