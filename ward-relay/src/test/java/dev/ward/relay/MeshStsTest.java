package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.refused;
import static dev.ward.relay.MeshTesting.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ward.relay.api.AwsIdentityProof;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.MeshBindRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS proof: the relay sends the presigned GetCallerIdentity to STS (here a local server given as
 * --mesh-sts-endpoint, answering as STS does) and gives the identity the caller's role is bound to; an unbound role,
 * STS's refusal, another action or another host are refused, the last without being fetched.
 */
class MeshStsTest {
    private static final String ACCOUNT = "123456789012";

    @TempDir
    Path dir;

    private HttpServer sts;
    private HttpServer elsewhere;
    private final AtomicInteger elsewhereHits = new AtomicInteger();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private volatile String callerArn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/cart-task/4d1f0c2e9b";
    private volatile int stsStatus = 200;
    private NettyRelay relay;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            seen.put("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = (stsStatus == 200
                    ? "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                            + "<GetCallerIdentityResult><Arn>" + callerArn + "</Arn><UserId>AROAEXAMPLE:4d1f0c2e9b"
                            + "</UserId><Account>" + ACCOUNT + "</Account></GetCallerIdentityResult><ResponseMetadata>"
                            + "<RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"
                            + "</GetCallerIdentityResponse>"
                    : "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                            + "<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does "
                            + "not match</Message></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml");
            ex.sendResponseHeaders(stsStatus, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        sts.start();
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", ex -> {
            elsewhereHits.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        elsewhere.start();
        relay = new NettyRelay(dir.resolve("relay.db"), 0, new RelayServer.Settings(TestRelay.AGENT_TOKEN,
                TestRelay.ADMIN_TOKEN, null, 1024, Duration.ZERO, Duration.ofSeconds(2), new MeshSettings(
                        "cluster.local", null, Duration.ofHours(24), URI.create(stsUrl(sts)))));
        channel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        relay.close();
        sts.stop(0);
        elsewhere.stop(0);
    }

    private static String stsUrl(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private CertificateRequest request(String method, String url, String body) throws Exception {
        return CertificateRequest.newBuilder().setCsr(csr(ec())).setAgentId("agent-aws").setAws(AwsIdentityProof
                .newBuilder().setMethod(method).setUrl(url).setBody(body).putHeaders("Authorization",
                        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261205/us-east-1/sts/aws4_request")
                .putHeaders("X-Amz-Date", "20261205T210000Z").putHeaders("Host", "sts.amazonaws.com")).build();
    }

    private CertificateRequest post() throws Exception {
        return request("POST", stsUrl(sts) + "/", "Action=GetCallerIdentity&Version=2011-06-15");
    }

    private void bind(String arn) {
        TestRelay.as(RelayAdminGrpc.newBlockingStub(channel), TestRelay.ADMIN_TOKEN).meshBind(MeshBindRequest
                .newBuilder().setNamespace("shop").setServiceAccount("cart").setRoleArn(arn).build());
    }

    @Test
    void aBoundRoleGetsItsIdentityWhateverItsPath() throws Exception {
        bind("arn:aws:iam::" + ACCOUNT + ":role/ecs/tasks/cart-task");
        var r = sign(channel, post());
        assertThat(r.getSpiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(seen).containsEntry("method", "POST").containsEntry("body",
                "Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(seen.get("authorization")).as("the signed headers are passed on").startsWith("AWS4-HMAC-SHA256");
        var get = sign(channel, request("GET", stsUrl(sts) + "/?Action=GetCallerIdentity&Version=2011-06-15", ""));
        assertThat(get.getSpiffeId()).endsWith("/ns/shop/sa/cart");
    }

    @Test
    void anUnboundRoleOrARefusedProofGetsNothing() throws Exception {
        bind("arn:aws:iam::" + ACCOUNT + ":role/cart-task");
        callerArn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/billing-task/77";
        Status unbound = refused(() -> sign(channel, post()));
        assertThat(unbound.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(unbound.getDescription()).contains("arn:aws:iam::" + ACCOUNT + ":role/billing-task")
                .contains("bound to no mesh identity");

        callerArn = "arn:aws:sts::999999999999:assumed-role/cart-task/77";
        assertThat(refused(() -> sign(channel, post())).getDescription()).as("same name, another account")
                .contains("999999999999:role/cart-task is bound to no mesh identity");

        callerArn = "arn:aws:iam::" + ACCOUNT + ":user/alice";
        assertThat(refused(() -> sign(channel, post())).getDescription()).contains("not by an assumed role");

        stsStatus = 403;
        Status stsSaysNo = refused(() -> sign(channel, post()));
        assertThat(stsSaysNo.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(stsSaysNo.getDescription()).contains("HTTP 403").contains("SignatureDoesNotMatch");
    }

    @Test
    void onlyGetCallerIdentityToStsIsSentAnywhere() throws Exception {
        bind("arn:aws:iam::" + ACCOUNT + ":role/cart-task");
        Status other = refused(() -> sign(channel, request("GET", stsUrl(elsewhere)
                + "/?Action=GetCallerIdentity&Version=2011-06-15", "")));
        assertThat(other.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(other.getDescription()).contains("not an STS endpoint");
        assertThat(refused(() -> sign(channel, request("GET", "https://sts.amazonaws.com.evil.example/"
                + "?Action=GetCallerIdentity", ""))).getDescription()).contains("not an STS endpoint");
        assertThat(refused(() -> sign(channel, request("GET", "http://sts.amazonaws.com/?Action=GetCallerIdentity",
                ""))).getDescription()).as("plain HTTP to the real STS").contains("not an STS endpoint");
        assertThat(elsewhereHits).hasValue(0);
        assertThat(seen).isEmpty();

        Status action = refused(() -> sign(channel, request("GET", stsUrl(sts) + "/?Action=AssumeRole", "")));
        assertThat(action.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(action.getDescription()).contains("not GetCallerIdentity");
        Status method = refused(() -> sign(channel, request("DELETE", stsUrl(sts) + "/?Action=GetCallerIdentity", "")));
        assertThat(method.getDescription()).contains("GET or POST");
        assertThat(seen).as("nothing was sent to STS either").isEmpty();
    }
}
