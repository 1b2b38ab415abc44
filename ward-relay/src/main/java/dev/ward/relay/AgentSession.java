package dev.ward.relay;

import dev.ward.policy.ContainerIdentity;
import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.RelayMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connected agent: who it is (from its Hello), what it was sent, counters for {@code ward agents}.
 * Sends to the agent are serialized here (acks from the store writer, policy sets from policy changes).
 */
final class AgentSession {
    final long connection;
    final Hello hello;
    final ContainerIdentity identity;
    final String remote;
    final long connectedMillis = System.currentTimeMillis();
    final AtomicLong events = new AtomicLong();
    volatile long lastEventMillis;
    /** The last event received: its workload fields (namespace, pod, image) for the web console's fleet. */
    volatile dev.ward.relay.api.Event lastEvent;
    volatile long agentDropped;
    volatile long appliedVersion;
    /** Policies (of both kinds) in the last set sent. */
    volatile int policies;
    /** {@link dev.ward.relay.store.StoredPolicy#id}s of the policies in the last set sent: what this agent holds. */
    volatile java.util.Set<String> held = java.util.Set.of();

    private final ServerCallStreamObserver<RelayMessage> out;
    private final Object sendLock = new Object();
    private boolean closed; // guarded by sendLock
    private String sentFingerprint; // guarded by sendLock

    AgentSession(long connection, Hello hello, String remote, ServerCallStreamObserver<RelayMessage> out) {
        this.connection = connection;
        this.hello = hello;
        this.identity = new ContainerIdentity(hello.getContainerName(), hello.getLabelsMap());
        this.remote = remote;
        this.out = out;
        this.appliedVersion = hello.getAppliedPolicyVersion();
    }

    void ack(long sequence) {
        send(RelayMessage.newBuilder().setAck(dev.ward.relay.api.Ack.newBuilder().setSequence(sequence)).build());
    }

    /**
     * Sends the agent its policy set unless it already has exactly this one (same policies at the same
     * versions); true when sent.
     */
    boolean sendPolicies(PolicyBundle bundle) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        bundle.getPoliciesList().forEach(d -> ids.add(dev.ward.relay.store.StoredPolicy.id(
                dev.ward.relay.store.StoredPolicy.KUBEARMOR, d.getNamespace(), d.getName()) + "@" + d.getVersion()));
        bundle.getAuthorizationPoliciesList().forEach(d -> ids.add(dev.ward.relay.store.StoredPolicy.id(
                dev.ward.relay.store.StoredPolicy.AUTHORIZATION, d.getNamespace(), d.getName()) + "@" + d.getVersion()));
        String fingerprint = String.join(";", ids);
        synchronized (sendLock) {
            if (closed || fingerprint.equals(sentFingerprint)) {
                return false;
            }
            sentFingerprint = fingerprint;
            policies = ids.size();
            java.util.Set<String> keys = new java.util.HashSet<>();
            ids.forEach(id -> keys.add(id.substring(0, id.lastIndexOf('@'))));
            held = java.util.Set.copyOf(keys);
            out.onNext(RelayMessage.newBuilder().setPolicies(bundle).build());
            return true;
        }
    }

    void send(RelayMessage m) {
        synchronized (sendLock) {
            if (!closed && !out.isCancelled()) {
                out.onNext(m);
            }
        }
    }

    void close(Status status) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (!out.isCancelled()) {
                if (status.isOk()) {
                    out.onCompleted();
                } else {
                    out.onError(status.asRuntimeException());
                }
            }
        }
    }

    AgentInfo info() {
        return AgentInfo.newBuilder().setAgentId(hello.getAgentId()).setContainerName(hello.getContainerName())
                .putAllLabels(hello.getLabelsMap()).setHostName(hello.getHostName()).setTaskArn(hello.getTaskArn())
                .setTaskFamily(hello.getTaskFamily()).setVersion(hello.getVersion()).setRemoteAddress(remote)
                .setConnectedUnixMillis(connectedMillis).setLastEventUnixMillis(lastEventMillis)
                .setEventsReceived(events.get()).setAgentDropped(agentDropped).setPolicyVersion(appliedVersion)
                .setPolicies(policies).setLogFilter(hello.getLogFilter()).build();
    }
}
