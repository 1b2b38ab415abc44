package dev.ward.relay;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The mesh's metrics, in the relay's registry: ward_mesh_certificates_issued_total{proof}, ward_mesh_issuance_seconds
 * (from request to signed certificate, the proof's check included), ward_mesh_certificate_refusals_total{reason},
 * ward_mesh_status_ignored_total{reason}, ward_mesh_workloads (what this relay sends its agents) and
 * ward_mesh_connections_total{direction,result} (the connections the agents reported).
 */
final class MeshMetrics {
    private final Counter issued;
    private final Histogram latency;
    private final Counter refused;
    private final Counter ignored;
    private final Gauge workloads;
    private final Counter connections;

    MeshMetrics(PrometheusRegistry registry) {
        issued = Counter.builder().name("ward_mesh_certificates_issued").help("Mesh certificates issued, by proof")
                .labelNames("proof").register(registry);
        latency = Histogram.builder().name("ward_mesh_issuance_seconds")
                .help("Time to issue a mesh certificate, the proof's check included")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        refused = Counter.builder().name("ward_mesh_certificate_refusals")
                .help("Certificate requests refused, by reason").labelNames("reason").register(registry);
        ignored = Counter.builder().name("ward_mesh_status_ignored")
                .help("MeshStatus messages ignored, by reason").labelNames("reason").register(registry);
        workloads = Gauge.builder().name("ward_mesh_workloads").help("Mesh workloads this relay knows")
                .register(registry);
        connections = Counter.builder().name("ward_mesh_connections")
                .help("Meshed connections the agents reported, by direction and result (Passed, or the error)")
                .labelNames("direction", "result").register(registry);
    }

    void issued(String proof, long nanos) {
        issued.labelValues(proof).inc();
        latency.observe(nanos / 1e9);
    }

    void refused(String reason) {
        refused.labelValues(reason).inc();
    }

    void ignored(String reason) {
        ignored.labelValues(reason).inc();
    }

    /** One of the agents' mesh events ({@code Source: ward-mesh}); an error's text is cut to its first words. */
    void connection(String data, String result) {
        String direction = data.startsWith("direction=inbound") ? "inbound" : "outbound";
        String r = result.isEmpty() ? "Passed" : result;
        int cut = r.indexOf(':');
        connections.labelValues(direction, cut > 0 ? r.substring(0, cut) : r.length() > 40 ? r.substring(0, 40) : r)
                .inc();
    }

    void workloads(int n) {
        workloads.set(n);
    }
}
