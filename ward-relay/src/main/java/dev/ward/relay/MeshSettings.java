package dev.ward.relay;

import dev.ward.mesh.SpiffeId;
import java.net.URI;
import java.time.Duration;

/**
 * The relay's mesh settings.
 *
 * @param trustDomain  {@code --trust-domain}: identities are spiffe://TRUST_DOMAIN/ns/NS/sa/SA
 * @param ca           {@code --ca-cert/--ca-key/--ca-chain}, read and checked; null: the CA generated in the store
 * @param maxTtl       {@code --mesh-max-ttl}: no certificate lives longer
 * @param stsEndpoint  {@code --mesh-sts-endpoint}: one more endpoint (scheme, host, port) taken as STS, besides
 *                     sts[.REGION].amazonaws.com (a VPC endpoint, a test server); null: none
 */
public record MeshSettings(String trustDomain, CaMaterial ca, Duration maxTtl, URI stsEndpoint) {
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    /** The lifetime of a certificate whose request asks for none. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);

    public MeshSettings {
        new SpiffeId(trustDomain, "ns", "sa"); // checks the trust domain's shape, with its own message
        if (maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("--mesh-max-ttl must be positive");
        }
        if (stsEndpoint != null && (stsEndpoint.getHost() == null || !(stsEndpoint.getScheme().equals("https")
                || stsEndpoint.getScheme().equals("http")))) {
            throw new IllegalArgumentException("--mesh-sts-endpoint " + stsEndpoint + ": expected http(s)://HOST[:PORT]");
        }
    }

    public static MeshSettings defaults() {
        return new MeshSettings(DEFAULT_TRUST_DOMAIN, null, DEFAULT_MAX_TTL, null);
    }

    /** The lifetime of a certificate asked for {@code requestedSeconds} (0: the default), within the maximum. */
    Duration lifetime(long requestedSeconds) {
        Duration asked = requestedSeconds <= 0 ? DEFAULT_TTL : Duration.ofSeconds(requestedSeconds);
        return asked.compareTo(maxTtl) > 0 ? maxTtl : asked;
    }
}
