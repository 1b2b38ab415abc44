package dev.ward.relay.client;

import dev.ward.api.EcsTask;
import dev.ward.api.spi.AgentContext;
import dev.ward.mesh.InboundPeerTable;
import dev.ward.mesh.Mesh;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.relay.api.MeshStatus;
import dev.ward.relay.api.MeshUpdate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The task in the mesh (WARD_MESH=on): its identity from the relay ({@link MeshIdentity}), discovery
 * ({@link MeshDirectory}) and the status it announces, all riding on the agent's relay connection, and the data
 * plane in this JVM.
 */
final class MeshAgent implements RelayConnection.MeshLink, AutoCloseable {
    private final MeshConfig config;
    private final MeshIdentity identity;
    private final MeshDirectory directory;
    private final RedirectTable redirects;
    /** The real client of each connection the inbound port delivers: strict inbound shows it to the application. */
    private final InboundPeerTable inbound = new InboundPeerTable();
    private final MeshTelemetry telemetry;
    /** The inbound AuthorizationPolicies, swapped live when the relay sends a new set. */
    private final LiveAuthorization authorization;
    /** The egress AuthorizationPolicies, swapped live with the same sets as {@link #authorization}. */
    private final LiveEgress egress;
    /** Held while a set is compiled and published, and at start: one set reaches both directions in turn. */
    private final Object policySets = new Object();
    private final PrintStream diagnostics;
    private final AgentContext context;
    private final String service;
    private volatile Mesh mesh;
    private final List<String> addresses;
    private volatile WorkloadCertificate announced;
    private final CompletableFuture<Void> discovered = new CompletableFuture<>();

    MeshAgent(MeshConfig config, AgentContext context, RelayConfig relay, RelayConnection.ChannelFactory channels,
            RelayConnection connection, String agentId, EcsTask ecs) {
        this.config = config;
        this.context = context;
        this.service = !ecs.serviceName().isEmpty() ? ecs.serviceName() : ecs.family();
        this.diagnostics = context.diagnostics();
        this.directory = new MeshDirectory(agentId, diagnostics);
        this.addresses = addresses(config, ecs);
        this.telemetry = new MeshTelemetry(context.identity(), context::report);
        this.authorization = new LiveAuthorization(context.authorizationPolicies(), config.rootNamespace(),
                context.identity().labels(), service, telemetry);
        this.egress = new LiveEgress(context.authorizationPolicies(), config.rootNamespace(),
                context.identity().labels(), service, telemetry);
        this.redirects = new RedirectTable(directory, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                config.capturePort()), config.capture(), config.strict(), config::strictOn, inbound, egress::current);
        MeshIdentity.Proof proof = proof(config, context, relay);
        this.identity = new MeshIdentity(channels, relay.token(), agentId, proof,
                config.ttl(), diagnostics, Clock.systemUTC(), c -> {
                    if (mesh == null && !startDataPlane(c)) {
                        return; // not announced: peers must not send to a task whose port 15008 is not there
                    }
                    announced = c;
                    connection.meshStatusChanged();
                });
        connection.mesh(this);
        if (config.capture() || config.strict()
                || context.authorizationPolicies().stream().anyMatch(AuthorizationPolicy::egress)) {
            // egress policies decide the workload's own connects too; with capture off and none in the files, the
            // connects are not trapped and a relay egress policy decides the proxy ports' connections only
            context.captureConnects(redirects);
        }
        if (config.require()) {
            context.holdWorkloadUntil("the task's mesh certificate and the mesh's directory (WARD_REQUIRE_MESH)",
                    identity.first().thenCombine(discovered, (c, d) -> c), config.requireTimeout());
        }
    }

    void start() {
        identity.start();
    }

    @Override
    public MeshStatus status() {
        WorkloadCertificate c = announced;
        if (c == null) {
            return null;
        }
        return MeshStatus.newBuilder().setSpiffeId(c.id().toString()).addAllAddresses(addresses)
                .setHbonePort(config.hbonePort()).build();
    }

    @Override
    public void update(MeshUpdate update) {
        directory.apply(update);
        discovered.complete(null);
        if (update.getTrustRootsCount() > 0) {
            try {
                identity.trustRoots(Pkcs10.parse(update.getTrustRootsList()));
            } catch (IllegalArgumentException e) {
                diagnostics.println("ward: mesh: " + e.getMessage());
            }
        }
    }

    /**
     * The relay's AuthorizationPolicies (bundle {@code version}), compiled here, on the relay connection's thread,
     * and in force for every tunnel and every connection outside the mesh opened from now on; an
     * IllegalArgumentException (and the previous set still in force in both directions) when they cannot be
     * compiled. Order: the egress set is compiled first, then the inbound one is compiled and published, then the
     * egress one is published: a connection decided in between sees the new inbound set with the old egress one.
     */
    void authorizationPolicies(long version, List<AuthorizationPolicy> policies) {
        int inForce;
        int egressInForce;
        synchronized (policySets) {
            try {
                LiveEgress.Pending next = egress.prepare(policies);
                inForce = authorization.replaceRelayPolicies(policies);
                egressInForce = egress.publish(next);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the mesh cannot take policy set v" + version + ": "
                        + e.getMessage(), e);
            }
        }
        diagnostics.println("ward: mesh: policy set v" + version + ": " + policies.size() + " AuthorizationPolic"
                + (policies.size() == 1 ? "y" : "ies") + " from the relay, " + inForce + " in force for new tunnels"
                + (egressInForce > 0 ? " (" + egressInForce + " egress)" : ""));
    }

    @Override
    public void close() {
        identity.close();
        Mesh m = mesh;
        if (m != null) {
            m.close();
        }
    }

    /**
     * On the first certificate: the proxy, capture and HBONE ports, in the trust domain the relay put in the
     * certificate. A port that cannot be bound is reported and the task stays out of the mesh (supervision goes
     * on); WARD_REQUIRE_MESH then keeps the workload from starting.
     */
    private boolean startDataPlane(WorkloadCertificate first) {
        List<InetAddress> local = new ArrayList<>();
        for (String a : addresses) {
            try {
                local.add(InetAddress.getByName(a));
            } catch (java.net.UnknownHostException e) {
                // literals only: cannot happen
            }
        }
        MeshSettings settings = MeshSettings.of(first.id().trustDomain(), local)
                .withPorts(config.proxyPort(), config.capturePort(), config.hbonePort());
        try {
            synchronized (policySets) {
                authorization.start(first.id());
                egress.start(first.id()); // from here the capture path and the proxy decide by the live set
            }
            mesh = Mesh.start(settings, identity, directory, telemetry, redirects, authorization, inbound, egress);
            return true;
        } catch (IOException | RuntimeException e) {
            diagnostics.println("ward: mesh: " + e.getMessage() + "; this task stays out of the mesh");
            identity.failFirst(new IllegalStateException(e.getMessage()));
            return false;
        }
    }

    /** An enrollment token when given (it names one identity), else the task role. */
    private static MeshIdentity.Proof proof(MeshConfig config, AgentContext context, RelayConfig relay) {
        if (!config.token().isEmpty()) {
            String token = config.token();
            return r -> r.setEnrollmentToken(token);
        }
        AwsProof aws = AwsProof.fromEnv(context.env(), relay.host() + ":" + relay.port());
        if (aws != null) {
            return aws;
        }
        throw new IllegalArgumentException("WARD_MESH=on needs a proof of identity: a task role (on ECS; bind it with "
                + "`ward mesh bind NAMESPACE/SERVICE_ACCOUNT --role ROLE_ARN`) or WARD_MESH_TOKEN (from `ward mesh "
                + "enroll NAMESPACE/SERVICE_ACCOUNT`)");
    }

    /** WARD_MESH_ADDRESS, else the task's ENI addresses from the metadata, else this network namespace's own. */
    private static List<String> addresses(MeshConfig config, EcsTask ecs) {
        if (!config.addresses().isEmpty()) {
            return config.addresses().stream().map(InetAddress::getHostAddress).toList();
        }
        if (!ecs.addresses().isEmpty()) {
            return ecs.addresses();
        }
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!n.isUp() || n.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
                        out.add(a instanceof Inet4Address ? a.getHostAddress() : a.getHostAddress().replaceAll("%.*", ""));
                    }
                }
            }
        } catch (SocketException e) {
            // none found: the relay then knows the identity but no address
        }
        return List.copyOf(out);
    }
}
