package dev.ward.relay;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.PolicyAck;
import dev.ward.relay.api.RelayMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents' streams: Hello registers the agent and answers with its policy set; each batch is published to
 * watchers and queued for forwarding ({@link AlertForwarder}) at once, and queued for the store, which acknowledges
 * it when committed; a MeshStatus goes to the
 * {@link MeshDirectory}. SignCertificate is the mesh's CA ({@link MeshIssuer}).
 */
final class AgentRelayService extends AgentRelayGrpc.AgentRelayImplBase {
    /** The Source of the agents' mesh connection events. */
    static final String MESH_SOURCE = "ward-mesh";
    private final AgentSessions agents;
    private final PolicyRegistry policies;
    private final Hub hub;
    private final EventWriter writer;
    private final RelayMetrics metrics;
    private final Messages messages;
    private final PrintStream log;
    private final MeshIssuer issuer;
    private final MeshDirectory directory;
    private final AlertForwarder forwarder;

    AgentRelayService(AgentSessions agents, PolicyRegistry policies, Hub hub, EventWriter writer,
            RelayMetrics metrics, Messages messages, PrintStream log, MeshIssuer issuer, MeshDirectory directory,
            AlertForwarder forwarder) {
        this.forwarder = forwarder;
        this.issuer = issuer;
        this.directory = directory;
        this.agents = agents;
        this.policies = policies;
        this.hub = hub;
        this.writer = writer;
        this.metrics = metrics;
        this.messages = messages;
        this.log = log;
    }

    @Override
    public void signCertificate(CertificateRequest request, StreamObserver<CertificateResponse> responses) {
        issuer.sign(request, responses);
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<RelayMessage> responses) {
        ServerCallStreamObserver<RelayMessage> out = (ServerCallStreamObserver<RelayMessage>) responses;
        String remote = Auth.REMOTE.get();
        return new StreamObserver<>() {
            private AgentSession session;

            @Override
            public void onNext(AgentMessage m) {
                switch (m.getKindCase()) {
                    case HELLO -> hello(m.getHello());
                    case BATCH -> batch(m.getBatch());
                    case POLICY_ACK -> policyAck(m.getPolicyAck());
                    case MESH_STATUS -> {
                        if (session == null) {
                            fail(Status.FAILED_PRECONDITION.withDescription("send Hello before MeshStatus"));
                        } else {
                            directory.status(session, m.getMeshStatus());
                        }
                    }
                    default -> fail(Status.INVALID_ARGUMENT.withDescription("empty agent message"));
                }
            }

            private void hello(Hello h) {
                if (session != null) {
                    fail(Status.INVALID_ARGUMENT.withDescription("Hello sent twice on one stream"));
                    return;
                }
                if (h.getContainerName().isBlank() || h.getAgentId().isBlank()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("Hello needs agent_id and container_name"));
                    return;
                }
                session = new AgentSession(agents.nextConnection(), h, remote == null ? "" : remote, out);
                agents.add(session);
                policies.sendTo(session);
                messages.publish("INFO", "agent connected: container " + h.getContainerName()
                        + (h.getTaskArn().isEmpty() ? "" : ", task " + h.getTaskArn()) + " from " + session.remote);
            }

            private void batch(EventBatch b) {
                if (session == null) {
                    fail(Status.FAILED_PRECONDITION.withDescription("send Hello before events"));
                    return;
                }
                long before = session.agentDropped;
                if (b.getDroppedTotal() > before) {
                    metrics.agentDropped(b.getDroppedTotal() - before);
                    session.agentDropped = b.getDroppedTotal();
                }
                if (agents.alreadyStored(session.hello.getAgentId(), b.getSequence())) {
                    session.ack(b.getSequence()); // a resend whose ack was lost
                    return;
                }
                List<Event> events = new ArrayList<>(b.getEventsCount());
                List<RelayEvent> live = !hub.listening() ? List.of() : new ArrayList<>(b.getEventsCount());
                for (Event e : b.getEventsList()) {
                    if (e.hasAlert() || e.hasLog()) {
                        events.add(e);
                        if (e.hasLog() && e.getLog().getSource().equals(MESH_SOURCE)) {
                            directory.metrics().connection(e.getLog().getData(), e.getLog().getResult());
                        }
                        if (hub.listening()) {
                            live.add(RelayEvent.of(e, session.hello.getAgentId()));
                        }
                        forwarder.offer(e, session.hello.getAgentId());
                    }
                }
                hub.publishAll(live);
                metrics.received(events.size());
                session.events.addAndGet(events.size());
                session.lastEventMillis = System.currentTimeMillis();
                if (!events.isEmpty()) {
                    session.lastEvent = events.getLast();
                }
                try {
                    writer.submit(new EventWriter.Pending(session, b.getSequence(), events));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(Status.UNAVAILABLE.withDescription("the relay is shutting down"));
                }
            }

            private void policyAck(PolicyAck a) {
                if (session == null) {
                    return;
                }
                if (a.getApplied()) {
                    session.appliedVersion = a.getVersion();
                } else {
                    log.println("ward relay: agent " + session.hello.getContainerName() + " ("
                            + session.hello.getAgentId() + ") rejected policy set v" + a.getVersion() + ": "
                            + a.getError());
                }
            }

            private void fail(Status s) {
                end();
                if (session != null) {
                    session.close(s);
                } else {
                    out.onError(s.asRuntimeException());
                }
            }

            private boolean ended;

            private void end() {
                if (session != null && !ended) {
                    ended = true;
                    agents.remove(session);
                    directory.disconnected(session);
                    messages.publish("INFO", "agent disconnected: container " + session.hello.getContainerName());
                }
            }

            @Override
            public void onError(Throwable t) {
                end();
            }

            @Override
            public void onCompleted() {
                end();
                if (session != null) {
                    session.close(Status.OK);
                } else {
                    out.onCompleted();
                }
            }
        };
    }
}
