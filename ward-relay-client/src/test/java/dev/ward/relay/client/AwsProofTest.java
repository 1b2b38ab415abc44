package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.AwsIdentityProof;
import dev.ward.relay.api.CertificateRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsProofTest {

    @Test
    void signsGetCallerIdentityForTheRegionalEndpointAndBindsTheRelayName() {
        AwsProof proof = AwsProof.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AWS_SESSION_TOKEN", "session", "AWS_REGION", "eu-west-1"),
                "relay.internal:32767");
        CertificateRequest.Builder r = CertificateRequest.newBuilder();
        proof.addTo(r);
        AwsIdentityProof aws = r.getAws();
        assertThat(aws.getUrl()).isEqualTo("https://sts.eu-west-1.amazonaws.com/");
        assertThat(aws.getBody()).isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(aws.getHeadersMap().get("Authorization")).contains("/eu-west-1/sts/aws4_request")
                .contains("x-ward-relay").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        assertThat(aws.getHeadersMap()).containsEntry("X-Amz-Security-Token", "session");
        assertThat(aws.getHeadersMap()).containsEntry(AwsProof.RELAY_HEADER, "relay.internal:32767");
    }

    @Test
    void noCredentialsNoProof() {
        assertThat(AwsProof.fromEnv(Map.of(), "relay:1")).isNull();
    }
}
