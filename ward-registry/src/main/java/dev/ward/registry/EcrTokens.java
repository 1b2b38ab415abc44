package dev.ward.registry;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/** The only class that uses the AWS SDK; loaded on the first ECR image. */
final class EcrTokens {
    private EcrTokens() {
    }

    /**
     * The authorization token, or null when no AWS credentials can be found. {@code endpoint} overrides
     * the ECR API endpoint (tests); null for the region's own.
     */
    static String fetch(Ecr.Host host, URI endpoint) {
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            return null;
        }
        EcrClientBuilder builder = EcrClient.builder().region(Region.of(host.region())).fipsEnabled(host.fips())
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try (EcrClient ecr = builder.build()) {
            GetAuthorizationTokenResponse r = ecr.getAuthorizationToken(b -> { });
            AuthorizationData d = r.authorizationData().isEmpty() ? null : r.authorizationData().getFirst();
            if (d == null || d.authorizationToken() == null) {
                throw new IllegalStateException("GetAuthorizationToken returned no token");
            }
            return d.authorizationToken();
        }
    }
}
