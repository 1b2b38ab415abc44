package dev.ward.relay;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Alert forwarding's metrics, in the relay's registry: ward_relay_alerts_forwarded_total{destination},
 * ward_relay_alerts_forward_retries_total{destination} and ward_relay_alerts_forward_dropped_total{destination,reason}
 * (reason queue_full: the destination was too slow and the alert never queued; failed: every try failed).
 * Destinations: falcosidekick, webhook.
 */
final class ForwardMetrics {
    private final Counter forwarded;
    private final Counter retries;
    private final Counter dropped;

    ForwardMetrics(PrometheusRegistry registry) {
        forwarded = Counter.builder().name("ward_relay_alerts_forwarded")
                .help("Alerts delivered to a forwarding destination").labelNames("destination").register(registry);
        retries = Counter.builder().name("ward_relay_alerts_forward_retries")
                .help("Failed tries to deliver an alert that were tried again").labelNames("destination")
                .register(registry);
        dropped = Counter.builder().name("ward_relay_alerts_forward_dropped")
                .help("Alerts not delivered: queue_full (the destination fell behind) or failed (every try failed)")
                .labelNames("destination", "reason").register(registry);
    }

    void forwarded(String destination) {
        forwarded.labelValues(destination).inc();
    }

    void retried(String destination) {
        retries.labelValues(destination).inc();
    }

    void dropped(String destination, String reason) {
        dropped.labelValues(destination, reason).inc();
    }
}
