package dev.ward.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ward.api.telemetry.FalcoJson;
import dev.ward.api.telemetry.JsonLinesSink;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.relay.api.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends the alerts agents report to falcosidekick (Falco's JSON) and to a webhook (the agent's KubeArmor JSON), one
 * POST per alert. Ingest never waits for it: {@link #offer} puts the alert in each destination's bounded queue or,
 * when that is full, drops it and counts the drop. Each destination has one platform thread that delivers in order
 * and retries a failed POST (a connection error, a 5xx or 429) with exponential back-off; an alert that fails every
 * try, or that the destination refuses (another 4xx), is counted as failed, and the thread goes on with the next.
 *
 * <p>Threading: any gRPC thread may offer; each destination's thread alone posts.
 */
final class AlertForwarder implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<Destination> destinations = new ArrayList<>();
    private final HttpClient http;

    AlertForwarder(AlertForwarding settings, ForwardMetrics metrics, PrintStream log) {
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        if (settings.falcosidekick() != null) {
            destinations.add(new Destination("falcosidekick", settings.falcosidekick(), true, settings, http, metrics,
                    log));
        }
        if (settings.webhook() != null) {
            destinations.add(new Destination("webhook", settings.webhook(), false, settings, http, metrics, log));
        }
        destinations.forEach(Destination::start);
    }

    boolean enabled() {
        return !destinations.isEmpty();
    }

    /** Queues {@code e} (an alert; logs are not forwarded) for every destination; never blocks. */
    void offer(Event e, String agentId) {
        if (destinations.isEmpty() || !e.hasAlert()) {
            return;
        }
        Telemetry t = EventPrinter.telemetry(RelayEvent.of(e, agentId).watchEvent());
        for (Destination d : destinations) {
            d.offer(t);
        }
    }

    /** Stops the threads and the HTTP client; what is still queued is not sent. */
    @Override
    public void close() {
        destinations.forEach(Destination::stop);
        http.shutdownNow();
    }

    /** One destination: its queue, its thread, its payload shape. */
    private static final class Destination {
        private final String name;
        private final URI url;
        private final boolean falco;
        private final AlertForwarding settings;
        private final HttpClient http;
        private final ForwardMetrics metrics;
        private final PrintStream log;
        private final ArrayBlockingQueue<Telemetry> queue;
        private final Thread thread;
        private volatile boolean failing;

        Destination(String name, URI url, boolean falco, AlertForwarding settings, HttpClient http,
                ForwardMetrics metrics, PrintStream log) {
            this.name = name;
            this.url = url;
            this.falco = falco;
            this.settings = settings;
            this.http = http;
            this.metrics = metrics;
            this.log = log;
            this.queue = new ArrayBlockingQueue<>(settings.queueSize());
            this.thread = Thread.ofPlatform().daemon().name("ward-relay-forward-" + name).unstarted(this::loop);
        }

        void start() {
            thread.start();
        }

        void stop() {
            thread.interrupt();
        }

        void offer(Telemetry t) {
            if (!queue.offer(t)) {
                metrics.dropped(name, "queue_full");
            }
        }

        private void loop() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    deliver(queue.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void deliver(Telemetry t) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "ward-relay")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(t))).build();
            long backoff = settings.firstBackoff().toMillis();
            for (int attempt = 1; ; attempt++) {
                String problem;
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status / 100 == 2) {
                        metrics.forwarded(name);
                        if (failing) {
                            log.println("ward relay: forwarding to " + name + " " + AlertForwarding.shown(url)
                                    + " works again");
                            failing = false;
                        }
                        return;
                    }
                    problem = "HTTP " + status;
                    if (status / 100 == 4 && status != 429) {
                        fail(problem + " (the destination refuses the alert; not tried again)");
                        return;
                    }
                } catch (IOException e) {
                    problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (attempt >= settings.attempts()) {
                    fail(problem + " after " + attempt + " tries");
                    return;
                }
                metrics.retried(name);
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
            }
        }

        private void fail(String problem) {
            metrics.dropped(name, "failed");
            if (!failing) { // once per outage, not once per alert
                log.println("ward relay: cannot forward alerts to " + name + " " + AlertForwarding.shown(url) + ": "
                        + problem);
                failing = true;
            }
        }

        private byte[] body(Telemetry t) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
                if (falco) {
                    FalcoJson.writeObject(json, t);
                } else {
                    JsonLinesSink.writeObject(json, t);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // writing to memory
            }
            return out.toByteArray();
        }
    }
}
