package dev.ward.mesh;

import java.util.Optional;

/**
 * The task's current certificate, renewed behind this interface (the agent's identity client). The mesh reads it
 * for every new TLS connection; a renewal applies to connections opened afterwards.
 */
@FunctionalInterface
public interface CertificateSource {

    /** Empty until the first certificate arrives: the mesh then refuses meshed traffic (503 inbound, RST outbound). */
    Optional<WorkloadCertificate> current();
}
