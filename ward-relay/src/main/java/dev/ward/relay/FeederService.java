package dev.ward.relay;

import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import dev.ward.relay.api.feeder.LogServiceGrpc;
import dev.ward.relay.api.feeder.Message;
import dev.ward.relay.api.feeder.NonceMessage;
import dev.ward.relay.api.feeder.ReplyMessage;
import dev.ward.relay.api.feeder.RequestMessage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * KubeArmor's feeder.LogService, so that {@code karmor logs --gRPC=RELAY:32767} works unchanged. A watcher
 * too slow for the stream gets, in place of what it lost, one event of Type {@value #DROPPED_TYPE} whose
 * Message says how many events it lost.
 */
final class FeederService extends LogServiceGrpc.LogServiceImplBase {
    static final String DROPPED_TYPE = "WardDroppedEvents";

    private final Hub hub;
    private final Messages messages;
    private final RelayMetrics metrics;
    private final int queue;
    private final Federation agents; // the fleet's agents: watchers see every relay's events

    FeederService(Hub hub, Messages messages, RelayMetrics metrics, int queue, Federation agents) {
        this.hub = hub;
        this.messages = messages;
        this.metrics = metrics;
        this.queue = queue;
        this.agents = agents;
    }

    @Override
    public void healthCheck(NonceMessage request, StreamObserver<ReplyMessage> responses) {
        responses.onNext(ReplyMessage.newBuilder().setRetval(request.getNonce()).build());
        responses.onCompleted();
    }

    @Override
    public void watchMessages(RequestMessage request, StreamObserver<Message> responses) {
        ServerCallStreamObserver<Message> out = (ServerCallStreamObserver<Message>) responses;
        messages.add(out);
        messages.greet(out, "ward relay: " + agents.agents().size() + " agents connected");
    }

    @Override
    public void watchAlerts(RequestMessage request, StreamObserver<Alert> responses) {
        String f = request.getFilter();
        if (!f.isEmpty() && !f.equals("all") && !f.equals("policy")) {
            responses.onError(invalid(f, "all or policy"));
            return;
        }
        ServerCallStreamObserver<Alert> out = (ServerCallStreamObserver<Alert>) responses;
        watch(new EventFilter(true, false, "", ""), out, new Watcher.Output() {
            @Override
            public void send(List<RelayEvent> events) {
                for (RelayEvent e : events) {
                    out.onNext(e.alert());
                }
            }

            @Override
            public void dropped(long count, long total) {
                out.onNext(Alert.newBuilder().setType(DROPPED_TYPE).setMessage(droppedText(count, total)).build());
            }
        });
    }

    @Override
    public void watchLogs(RequestMessage request, StreamObserver<Log> responses) {
        String f = request.getFilter();
        if (!f.isEmpty() && !f.equals("all") && !f.equals("system")) {
            responses.onError(invalid(f, "all or system"));
            return;
        }
        ServerCallStreamObserver<Log> out = (ServerCallStreamObserver<Log>) responses;
        String notice = LogSenders.warning(agents.agents());
        if (notice != null) {
            // Before the watcher's own thread starts sending: one writer at a time on the stream.
            out.onNext(Log.newBuilder().setType(LogSenders.NOTICE_TYPE).setData(notice).build());
        }
        watch(new EventFilter(false, true, "", ""), out, new Watcher.Output() {
            @Override
            public void send(List<RelayEvent> events) {
                for (RelayEvent e : events) {
                    out.onNext(e.log());
                }
            }

            @Override
            public void dropped(long count, long total) {
                out.onNext(Log.newBuilder().setType(DROPPED_TYPE).setData(droppedText(count, total)).build());
            }
        });
    }

    static String droppedText(long count, long total) {
        return "the relay dropped " + count + " events for this watcher because it read too slowly (" + total
                + " in total)";
    }

    private void watch(EventFilter filter, ServerCallStreamObserver<?> out, Watcher.Output output) {
        Watcher w = new Watcher(filter, queue, out, output, metrics, 0);
        hub.add(w);
        Thread.ofVirtual().name("ward-relay-watcher").start(() -> {
            try {
                w.drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The client went away mid-send.
            } finally {
                hub.remove(w);
            }
        });
    }

    private static StatusRuntimeException invalid(String filter, String expected) {
        return Status.INVALID_ARGUMENT.withDescription("unknown filter '" + filter + "' (expected " + expected + ")")
                .asRuntimeException();
    }
}
