package dev.ward.relay.client;

import dev.ward.relay.api.AwsIdentityProof;
import dev.ward.relay.api.CertificateRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The task role proves the identity (Vault's AWS IAM pattern): an {@code sts:GetCallerIdentity} request signed with
 * the task's credentials, which the relay sends to STS itself and so learns which role signed it. The request also
 * signs an {@code X-Ward-Relay} header naming the relay, so that a relay that receives it cannot replay it to
 * another. A fresh request per certificate: SigV4 signatures are valid for 15 minutes.
 */
final class AwsProof implements MeshIdentity.Proof {
    static final String RELAY_HEADER = "X-Ward-Relay";
    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final String relay;

    AwsProof(AwsCredentialsProvider credentials, String region, URI endpoint, String relay) {
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.relay = relay;
    }

    /**
     * The task role's proof when the environment has AWS credentials (the ECS credentials endpoint, else AWS_ACCESS_KEY_ID),
     * else null. The endpoint is the regional STS one (AWS_REGION), or WARD_MESH_STS_ENDPOINT.
     */
    static AwsProof fromEnv(Map<String, String> env, String relay) {
        AwsCredentialsProvider provider;
        if (!env.getOrDefault("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "").isBlank()
                || !env.getOrDefault("AWS_CONTAINER_CREDENTIALS_FULL_URI", "").isBlank()) {
            provider = ContainerCredentialsProvider.builder().build();
        } else if (!env.getOrDefault("AWS_ACCESS_KEY_ID", "").isBlank()) {
            String id = env.get("AWS_ACCESS_KEY_ID").strip();
            String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "").strip();
            String session = env.getOrDefault("AWS_SESSION_TOKEN", "").strip();
            provider = StaticCredentialsProvider.create(session.isEmpty() ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, session));
        } else {
            return null;
        }
        String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "")).strip();
        String override = env.getOrDefault("WARD_MESH_STS_ENDPOINT", "").strip();
        URI endpoint = URI.create(!override.isEmpty() ? override
                : region.isEmpty() ? "https://sts.amazonaws.com/" : "https://sts." + region + ".amazonaws.com/");
        return new AwsProof(provider, region.isEmpty() ? "us-east-1" : region, endpoint, relay);
    }

    @Override
    public void addTo(CertificateRequest.Builder request) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader(RELAY_HEADER, relay).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(http).payload(ContentStreamProvider.fromUtf8String(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        AwsIdentityProof.Builder proof = AwsIdentityProof.newBuilder().setMethod("POST")
                .setUrl(signed.request().getUri().toString()).setBody(BODY);
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            proof.putHeaders(h.getKey(), String.join(",", h.getValue()));
        }
        request.setAws(proof);
    }
}
