package dev.ward.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon ECR private registries ({@code ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]}): Basic auth
 * with user {@code AWS} and a 12-hour token from {@code ecr:GetAuthorizationToken}. The AWS SDK is
 * touched only here, through {@link EcrTokens}, so a run that never meets an ECR host never loads it.
 */
final class Ecr {
    private static final Pattern HOST = Pattern.compile(
            "([0-9]{12})\\.dkr\\.ecr(-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?(?::443)?");

    /** A parsed ECR registry host. */
    record Host(String account, String region, boolean fips) { }

    private Ecr() {
    }

    static Optional<Host> parse(String registry) {
        Matcher m = HOST.matcher(registry.toLowerCase(java.util.Locale.ROOT));
        return m.matches() ? Optional.of(new Host(m.group(1), m.group(3), m.group(2) != null)) : Optional.empty();
    }

    /** Decodes GetAuthorizationToken's {@code authorizationToken} (base64 of {@code AWS:PASSWORD}). */
    static RegistryCredential decodeToken(String token) {
        RegistryCredential c = token == null ? null : RegistryCredential.decodeBasic(token);
        if (c == null || c.password().isEmpty()) {
            throw new IllegalArgumentException("ECR authorization token is not base64 of USER:PASSWORD");
        }
        return c;
    }

    /**
     * A credential from ECR when AWS credentials are available (environment, profile, web identity,
     * container or instance role); empty when there are none.
     */
    static Optional<RegistryCredential> credential(Host host, String image) throws RegistryException {
        return credential(host, image, null);
    }

    /** As {@link #credential(Host, String)}, with the ECR API at {@code endpoint} (null: the region's). */
    static Optional<RegistryCredential> credential(Host host, String image, java.net.URI endpoint) throws RegistryException {
        String token;
        try {
            token = EcrTokens.fetch(host, endpoint);
        } catch (NoClassDefFoundError e) {
            return Optional.empty(); // SDK removed from the class path: behave as without AWS credentials
        } catch (RuntimeException e) {
            throw new RegistryException(image + ": could not get an ECR login token for account " + host.account()
                    + " in " + host.region() + " (ecr:GetAuthorizationToken): " + e.getMessage(), e);
        }
        return token == null ? Optional.empty() : Optional.of(decodeToken(token));
    }
}
