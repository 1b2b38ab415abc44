package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.sun.net.httpserver.HttpsServer;
import dev.ward.tls.ServerTls;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ward webhook} over real HTTPS: the AdmissionReview the API server sends for a Deployment's pod on EKS
 * Fargate (shaped as Kubernetes documents it, with the service-account volume and owner reference the controllers
 * add) gets a JSON Patch that, applied to the pod, gives exactly what {@code ward inject} writes for the same pod;
 * an injected pod, an opted-out pod and a pod of another Fargate profile get none; a pod that cannot be protected is
 * admitted with a warning, or refused when failing closed.
 */
class WebhookTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REVIEW = Path.of("src/test/resources/admission/deployment-pod.json");

    @TempDir
    static Path dir;
    static SSLContext clientTls;
    static Path caPem;
    static Path certPem;
    static Path keyPem;
    static HttpsServer open;
    static HttpsServer closed;

    @BeforeAll
    static void serve() throws Exception {
        makeCertificates();
        InjectOptions options = KubernetesInjectTest.options();
        open = WebhookCommand.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerTls.context(certPem, keyPem),
                new AdmissionReviewer(options, InjectGoldenTest.IMAGES, Set.of("fp-default"), false));
        closed = WebhookCommand.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerTls.context(certPem, keyPem), new AdmissionReviewer(options, InjectGoldenTest.IMAGES, Set.of(), true));
    }

    @AfterAll
    static void stop() {
        open.stop(0);
        closed.stop(0);
    }

    @Test
    void aDeploymentsPodGetsWhatWardInjectWritesForIt() throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(REVIEW.toFile());
        JsonNode response = post(open, review).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        JsonNode pod = review.path("request").path("object");
        JsonNode patched = JsonPatch.apply(patch, pod);
        JsonNode injected = new KubernetesInjector(KubernetesInjectTest.options(), InjectGoldenTest.IMAGES)
                .injectJson(pod.deepCopy());
        assertThat(patched).isEqualTo(injected);
        assertThat(patched.path("spec").path("initContainers").get(0).path("name").asText())
                .isEqualTo(KubernetesInjector.INIT);
        assertThat(patched.path("spec").path("containers").get(0).path("command").get(0).asText())
                .isEqualTo(EcsInjector.PREFIX.getFirst());
        // the service-account volume the controllers added is kept
        assertThat(patched.path("spec").path("volumes").toString()).contains("kube-api-access-x7m2q");

        // Sent again (reinvocation, or a pod made from an injected template): nothing to change.
        ((ObjectNode) review.get("request")).set("object", patched);
        JsonNode again = post(open, review).path("response");
        assertThat(again.path("allowed").asBoolean()).isTrue();
        assertThat(again.has("patch")).isFalse();
    }

    @Test
    void severalContainersAreAllProtected() throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(REVIEW.toFile());
        ArrayNode containers = (ArrayNode) review.path("request").path("object").path("spec").path("containers");
        ObjectNode second = ((ObjectNode) containers.get(0).deepCopy()).put("name", "second");
        second.putArray("command").add("sleep").add("infinity");
        second.remove("ports");
        containers.add(second);
        JsonNode response = post(open, review).path("response");
        JsonNode patched = JsonPatch.apply(JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText())),
                review.path("request").path("object"));
        for (JsonNode c : patched.path("spec").path("containers")) {
            assertThat(c.path("command").toString()).as(c.path("name").asText()).contains("\"run\",\"--\"");
        }
        assertThat(patched.path("spec").path("initContainers")).hasSize(1);
    }

    @Test
    void optedOutPodsAndOtherFargateProfilesAreLeftAlone() throws Exception {
        ObjectNode optOut = (ObjectNode) JSON.readTree(REVIEW.toFile());
        ((ObjectNode) optOut.path("request").path("object").path("metadata")).putObject("annotations")
                .put(AdmissionReviewer.OPT_OUT, "false");
        assertThat(post(open, optOut).path("response").has("patch")).isFalse();
        ObjectNode other = (ObjectNode) JSON.readTree(REVIEW.toFile());
        ((ObjectNode) other.path("request").path("object").path("metadata").path("labels"))
                .put(AdmissionReviewer.FARGATE_PROFILE, "fp-batch");
        JsonNode response = post(open, other).path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void aPodThatCannotBeProtectedIsAdmittedWithAWarningOrRefusedWhenFailingClosed() throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(REVIEW.toFile());
        ObjectNode c = (ObjectNode) review.path("request").path("object").path("spec").path("containers").get(0);
        c.remove("command");
        c.put("image", "unknown/image:1");
        JsonNode open1 = post(open, review).path("response");
        assertThat(open1.path("allowed").asBoolean()).isTrue();
        assertThat(open1.has("patch")).isFalse();
        assertThat(open1.path("warnings").get(0).asText()).startsWith("ward: pod default/armored-application-77fb54dc69-* "
                + "not protected:").contains("unknown/image:1");
        JsonNode refused = post(closed, review).path("response");
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("status").path("message").asText()).contains("not protected");
        HttpResponse<String> bad = client().send(HttpRequest.newBuilder(uri(open)).POST(
                HttpRequest.BodyPublishers.ofString("{\"kind\": \"AdmissionReview\"")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void manifestsCarryTheCaBundleAndTheSettings() throws Exception {
        WebhookManifestsCommand m = new WebhookManifestsCommand();
        m.parent = new WebhookSettings();
        m.parent.agentImage = "registry.example/ward-agent:0.1.0";
        m.parent.relay = "ward-relay.ward.svc:32767";
        m.parent.tokenSecret = "ward-relay/agent-token";
        m.image = "registry.example/ward:0.1.0";
        m.namespace = "ward";
        m.failurePolicy = "Ignore";
        List<Object> docs = m.objects("Q0E=");
        JsonNode all = JSON.valueToTree(docs);
        assertThat(all).extracting(d -> d.path("kind").asText()).containsExactly("ServiceAccount", "Deployment",
                "Service", "MutatingWebhookConfiguration");
        JsonNode hooks = all.get(3).path("webhooks");
        assertThat(hooks).hasSize(2).allSatisfy(h -> {
            assertThat(h.path("clientConfig").path("caBundle").asText()).isEqualTo("Q0E=");
            assertThat(h.path("failurePolicy").asText()).isEqualTo("Ignore");
            assertThat(h.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("pods");
        });
        assertThat(all.get(1).path("spec").path("template").path("spec").path("containers").get(0).path("args")
                .toString()).contains("\"--agent-image\",\"registry.example/ward-agent:0.1.0\"")
                .contains("\"--relay-token-secret\",\"ward-relay/agent-token\"").doesNotContain("--fail-closed");
    }

    @Test
    void keysInEveryPemFormOpensslWritesAreAccepted() throws Exception {
        Path cert = dir.resolve("o.crt");
        Path pkcs8 = dir.resolve("o.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                pkcs8.toString(), "-out", cert.toString(), "-subj", "/CN=localhost", "-days", "1");
        Path sec1 = dir.resolve("o-sec1.key");
        openssl("ec", "-in", pkcs8.toString(), "-out", sec1.toString());
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(ServerTls.context(cert, pkcs8)).isNotNull();
        assertThat(ServerTls.context(cert, sec1)).isNotNull();
        Path rsaCert = dir.resolve("r.crt");
        Path rsa = dir.resolve("r.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsa.toString(), "-out", rsaCert.toString(),
                "-subj", "/CN=localhost", "-days", "1");
        Path pkcs1 = dir.resolve("r-pkcs1.key");
        openssl("rsa", "-in", rsa.toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(ServerTls.context(rsaCert, pkcs1)).isNotNull();
        assertThatThrownBy(() -> ServerTls.context(cert, rsa)).hasMessageContaining("does not go with");
        assertThatThrownBy(() -> ServerTls.context(pkcs8, pkcs8)).hasMessageContaining("expected PEM certificates");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static JsonNode post(HttpsServer server, JsonNode review) throws Exception {
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri(server))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(review))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = JSON.readTree(r.body());
        assertThat(out.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(out.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        return out;
    }

    private static URI uri(HttpsServer server) {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/mutate");
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(clientTls).build();
    }

    /** A CA and a serving certificate for localhost that it signed, as PEM files; the client trusts the CA. */
    private static void makeCertificates() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair caKey = gen.generateKeyPair();
        KeyPair key = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=ward webhook test CA");
        var caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), caName, caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(caBuilder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        var builder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), new X500Name("CN=ward-webhook.ward.svc"), key.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.dNSName, "ward-webhook.ward.svc")}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        caPem = Files.writeString(dir.resolve("ca.pem"), pem(ca));
        certPem = Files.writeString(dir.resolve("tls.crt"), pem(cert));
        keyPem = Files.writeString(dir.resolve("tls.key"), pem(new JcaPKCS8Generator(key.getPrivate(), null)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
