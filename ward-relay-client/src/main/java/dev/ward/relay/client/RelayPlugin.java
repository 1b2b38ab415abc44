package dev.ward.relay.client;

import dev.ward.api.EcsTask;
import dev.ward.api.WardVersion;
import dev.ward.api.spi.AgentContext;
import dev.ward.api.spi.AgentPlugin;
import dev.ward.relay.api.Hello;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The agent's relay plugin. With {@code RELAYSERVERURL} set it dials out to the relay (the task needs no
 * inbound port), streams telemetry through a bounded buffer, and applies the policy sets the relay sends
 * for this container; while the relay is away the agent keeps the last good set. Without the variable it
 * does nothing. Settings: {@link RelayConfig}.
 */
public final class RelayPlugin implements AgentPlugin {
    private RelayConfig config;
    private RelayConnection connection;
    private MeshAgent mesh;

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public void start(AgentContext context) throws Exception {
        MeshConfig meshConfig = MeshConfig.fromEnv(context.env());
        config = RelayConfig.fromEnv(context.env());
        if (config == null) {
            return;
        }
        ChannelCredentials credentials = credentials(config);
        EventBuffer buffer = new EventBuffer(config.bufferSize());
        context.addSink(new RelaySink(buffer));
        context.expectPolicies(config.policyTimeout());
        RelayConfig c = config;
        RelayConnection.ChannelFactory channels = () -> OkHttpChannelBuilder.forAddress(c.host(), c.port(), credentials)
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS).build();
        String agentId = UUID.randomUUID().toString();
        PolicyApplier applier = new PolicyApplier(context);
        boolean meshOn = meshConfig != null;
        connection = new RelayConnection(channels, config.token(), () -> hello(context, agentId, meshOn), buffer,
                applier, new Backoff(250, 15_000), context.diagnostics(), config.host() + ":" + config.port());
        if (meshOn) {
            mesh = new MeshAgent(meshConfig, context, config, channels, connection, agentId,
                    meshTask(context.env(), context.diagnostics()));
            applier.mesh(mesh::authorizationPolicies);
        }
        connection.start();
        if (mesh != null) {
            mesh.start();
        }
    }

    @Override
    public void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (connection != null) {
            connection.stop(config.drainTimeout());
        }
    }

    private static ChannelCredentials credentials(RelayConfig c) throws IOException {
        if (!c.tls()) {
            return InsecureChannelCredentials.create();
        }
        if (c.caFile() == null) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(c.caFile().toFile()).build();
        } catch (IOException e) {
            throw new IOException("WARD_RELAY_CA=" + c.caFile() + ": not a PEM certificate (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The task's metadata, asked three times: the mesh selects AuthorizationPolicies by the service or family it
     * names, once, at start, so a missing answer is said.
     */
    static EcsTask meshTask(java.util.Map<String, String> env, java.io.PrintStream diagnostics) {
        if (env.getOrDefault(EcsTask.ENDPOINT_VARIABLE, "").isBlank()) {
            return EcsTask.NONE;
        }
        EcsTask task = EcsTask.fetchPatiently(env, 3);
        if (task == null) {
            diagnostics.println("ward: mesh: the task metadata endpoint did not answer: no service or "
                    + "family for this task, so AuthorizationPolicies with targetRefs do not select it");
            return EcsTask.NONE;
        }
        return task;
    }

    static Hello hello(AgentContext context, String agentId) {
        return hello(context, agentId, false);
    }

    /** Runs on the connection thread: the ECS metadata lookup may take up to a second. */
    static Hello hello(AgentContext context, String agentId, boolean mesh) {
        EcsTask ecs = java.util.Objects.requireNonNullElse(EcsTask.fetch(context.env()), EcsTask.NONE);
        return Hello.newBuilder().setAgentId(agentId)
                .setContainerName(context.identity().containerName()).putAllLabels(context.identity().labels())
                .setHostName(context.identity().hostName()).setTaskArn(ecs.taskArn()).setTaskFamily(ecs.family())
                .setVersion(WardVersion.version())
                .setLogFilter(context.logFilter().name().toLowerCase(java.util.Locale.ROOT)).setMesh(mesh).build();
    }
}
