package dev.ward.relay.client;

import dev.ward.api.spi.AgentContext;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.relay.api.MeshStatus;
import dev.ward.relay.api.MeshUpdate;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
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
    private final PrintStream diagnostics;
    private volatile List<String> addresses;
    private volatile WorkloadCertificate announced;
    private final CompletableFuture<Void> discovered = new CompletableFuture<>();

    MeshAgent(MeshConfig config, AgentContext context, RelayConfig relay, RelayConnection.ChannelFactory channels,
            RelayConnection connection, String agentId, EcsMetadata ecs) {
        this.config = config;
        this.diagnostics = context.diagnostics();
        this.directory = new MeshDirectory(agentId, diagnostics);
        this.addresses = addresses(config, ecs);
        MeshIdentity.Proof proof = proof(config, context, relay);
        this.identity = new MeshIdentity(channels, relay.token(), agentId, proof, requested(config, ecs, context),
                config.ttl(), diagnostics, Clock.systemUTC(), c -> {
                    announced = c;
                    connection.meshStatusChanged();
                });
        connection.mesh(this);
        if (config.require()) {
            context.holdWorkloadUntil("the task's mesh certificate and the mesh's directory (WARD_REQUIRE_MESH)",
                    identity.first().thenCombine(discovered, (c, d) -> c), config.requireTimeout());
        }
    }

    void start() {
        identity.start();
    }

    MeshIdentity identity() {
        return identity;
    }

    MeshDirectory directory() {
        return directory;
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

    @Override
    public void close() {
        identity.close();
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

    /** The identity asked for: WARD_MESH_NAMESPACE/WARD_MESH_SERVICE_ACCOUNT, else ECS cluster and service or family. */
    private static SpiffeId requested(MeshConfig config, EcsMetadata ecs, AgentContext context) {
        String ns = !config.namespace().isEmpty() ? config.namespace() : ecs.cluster();
        String sa = !config.serviceAccount().isEmpty() ? config.serviceAccount()
                : !ecs.serviceName().isEmpty() ? ecs.serviceName() : ecs.family();
        if (ns.isEmpty() || sa.isEmpty()) {
            return null; // the relay decides (an enrollment token names its identity)
        }
        try {
            return new SpiffeId(config.trustDomain(), ns, sa);
        } catch (IllegalArgumentException e) {
            context.diagnostics().println("ward: mesh: cannot ask for identity " + ns + "/" + sa + ": " + e.getMessage());
            return null;
        }
    }

    /** WARD_MESH_ADDRESS, else the task's ENI addresses from the metadata, else this network namespace's own. */
    private static List<String> addresses(MeshConfig config, EcsMetadata ecs) {
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
