package dev.ward.mesh;

import dev.ward.mesh.testing.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One "task" of a test: its own address on lo (127.0.0.x), its certificate and its Mesh on ephemeral ports, every
 * connection event it reports. Tasks of one test share a {@link Directory}, the discovery they dial each other by.
 */
final class TestTask implements AutoCloseable {

    static final String TRUST_DOMAIN = "cluster.local";

    final InetAddress address;
    final SpiffeId id;
    final AtomicReference<WorkloadCertificate> certificate;
    final List<MeshConnection> events = new CopyOnWriteArrayList<>();
    /** The real client of each connection the inbound port delivered, by its loopback source. */
    final InboundPeerTable delivered = new InboundPeerTable();
    final Mesh mesh;

    /** Discovery for tests: which task address belongs to which peer. */
    static final class Directory implements PeerDirectory {
        final Map<InetAddress, MeshPeer> peers = new ConcurrentHashMap<>();

        @Override
        public Optional<MeshPeer> peerAt(InetAddress address) {
            return Optional.ofNullable(peers.get(address));
        }

        void add(TestTask task) {
            peers.put(task.address, task.peer());
        }
    }

    /** The redirect table for capture tests. */
    static final class RedirectTable implements Redirects {
        final Map<InetSocketAddress, Redirect> table = new ConcurrentHashMap<>();

        @Override
        public Optional<Redirect> claim(InetSocketAddress clientAddress) {
            return Optional.ofNullable(table.remove(clientAddress));
        }
    }

    private TestTask(InetAddress address, SpiffeId id, WorkloadCertificate certificate, PeerDirectory directory,
                     UnaryOperator<MeshSettings> settings, Redirects redirects, InboundAuthorizer authorizer)
            throws IOException {
        this.address = address;
        this.id = id;
        this.certificate = new AtomicReference<>(certificate);
        MeshSettings s = settings.apply(MeshSettings.of(TRUST_DOMAIN, List.of(address))
                .withEphemeralPorts(true)
                .withHbone(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        this.mesh = Mesh.start(s, () -> Optional.ofNullable(this.certificate.get()), directory, events::add,
                redirects, authorizer, delivered);
    }

    static TestTask start(TestCa ca, String ip, String serviceAccount, PeerDirectory directory) throws IOException {
        return start(ca, ip, serviceAccount, directory, s -> s, Redirects.NONE, InboundAuthorizer.ALLOW_ALL);
    }

    static TestTask start(TestCa ca, String ip, String serviceAccount, PeerDirectory directory,
                          UnaryOperator<MeshSettings> settings, Redirects redirects, InboundAuthorizer authorizer)
            throws IOException {
        SpiffeId id = new SpiffeId(TRUST_DOMAIN, "test", serviceAccount);
        return new TestTask(InetAddress.ofLiteral(ip), id, ca.issue(id), directory, settings, redirects, authorizer);
    }

    /** As discovery announces this task: its identity and its HBONE port. */
    MeshPeer peer() {
        return new MeshPeer(id, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                mesh.hboneAddress().getPort()), id.serviceAccount());
    }

    /** This task's address with a port, as a client names a service of it. */
    InetSocketAddress at(int port) {
        return new InetSocketAddress(address, port);
    }

    /** Waits for a connection event that matches (events of earlier tests may still arrive: pick by content). */
    MeshConnection awaitEvent(java.util.function.Predicate<MeshConnection> match) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MeshConnection e : events) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching connection event among " + events);
    }

    /** Waits until {@code n} connection events arrived (they are reported when a connection ends). */
    List<MeshConnection> awaitEvents(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return List.copyOf(events);
    }

    @Override
    public void close() {
        mesh.close();
    }
}
