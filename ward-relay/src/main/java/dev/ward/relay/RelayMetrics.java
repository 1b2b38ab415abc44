package dev.ward.relay;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The relay's Prometheus metrics, in a registry of its own (several relays can live in one JVM in tests).
 * Names: ward_relay_events_received_total, ward_relay_events_sent_total (to watchers),
 * ward_relay_events_dropped_total{where="watcher"|"agent"}, ward_relay_agents_connected,
 * ward_relay_watchers, ward_relay_policy_version, ward_relay_policy_changes_total.
 */
final class RelayMetrics {
    final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter received = Counter.builder().name("ward_relay_events_received")
            .help("Events received from agents").register(registry);
    private final Counter sent = Counter.builder().name("ward_relay_events_sent")
            .help("Events sent to watchers").register(registry);
    private final Counter dropped = Counter.builder().name("ward_relay_events_dropped")
            .help("Events lost: by a slow watcher's full queue (watcher) or a full agent buffer (agent)")
            .labelNames("where").register(registry);
    // Label lookups cost a hash and an array per call: resolve the two children once (watcher drops are
    // counted one by one on the publish path).
    private final io.prometheus.metrics.core.datapoints.CounterDataPoint droppedByWatcher = dropped.labelValues("watcher");
    private final io.prometheus.metrics.core.datapoints.CounterDataPoint droppedByAgent = dropped.labelValues("agent");
    private final Gauge agents = Gauge.builder().name("ward_relay_agents_connected")
            .help("Agents connected to this relay").register(registry);
    private final Gauge watchers = Gauge.builder().name("ward_relay_watchers")
            .help("Watchers connected to this relay").register(registry);
    private final Gauge policyVersion = Gauge.builder().name("ward_relay_policy_version")
            .help("The store's policy version this relay serves").register(registry);
    private final Counter policyChanges = Counter.builder().name("ward_relay_policy_changes")
            .help("Policies added, modified or deleted").register(registry);

    void received(int n) {
        received.inc(n);
    }

    void sent(int n) {
        sent.inc(n);
    }

    void watcherDropped(int n) {
        droppedByWatcher.inc(n);
    }

    void agentDropped(long n) {
        if (n > 0) {
            droppedByAgent.inc(n);
        }
    }

    void agents(int n) {
        agents.set(n);
    }

    void watchers(int n) {
        watchers.set(n);
    }

    void policyVersion(long v) {
        policyVersion.set(v);
    }

    void policyChanged() {
        policyChanges.inc();
    }
}
