package dev.ward.relay;

import static dev.ward.relay.MeshTesting.csr;
import static dev.ward.relay.MeshTesting.ec;
import static dev.ward.relay.MeshTesting.enroll;
import static dev.ward.relay.MeshTesting.sign;
import static dev.ward.relay.MeshTesting.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.relay.api.CertificateResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --ca-cert/--ca-key/--ca-chain}: an intermediate under an existing root (as Istio's cacerts) signs the
 * workload certificates; the chain is served leaf, intermediate, root and validates with the JDK's PKIX validator.
 * Files that cannot work are refused at start with what is wrong.
 */
class MeshExternalCaTest {
    @TempDir
    Path dir;

    record Issued(KeyPair key, X509Certificate cert) {
    }

    static Issued ca(String name, Issued issuer, boolean isCa) throws Exception {
        return ca(name, issuer, isCa, ec());
    }

    static Issued ca(String name, Issued issuer, boolean isCa, KeyPair key) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(30))), subject, key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature));
        KeyPair signing = issuer == null ? key : issuer.key();
        var signer = new JcaContentSignerBuilder(signing.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : "SHA256withECDSA").build(signing.getPrivate());
        return new Issued(key, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    }

    private Path write(String name, Object... objects) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Object o : objects) {
            b.append(MeshTesting.pem(o));
        }
        return Files.writeString(dir.resolve(name), b.toString());
    }

    @Test
    void anIntermediateUnderAnExistingRootSignsAndTheChainIsServedLeafToRoot() throws Exception {
        Issued root = ca("Istio root", null, true);
        Issued intermediate = ca("ward intermediate", root, true);
        CaMaterial material = CaMaterial.fromFiles(write("ca-cert.pem", intermediate.cert()),
                write("ca-key.pem", intermediate.key().getPrivate()), write("root-cert.pem", root.cert()));
        try (NettyRelay relay = new NettyRelay(dir.resolve("relay.db"), 0, new RelayServer.Settings(
                TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null, 1024, Duration.ZERO, Duration.ofSeconds(2),
                new MeshSettings("cluster.local", material, Duration.ofHours(24), null)))) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
            try {
                String token = enroll(channel, "ns", "sa", 0, 1);
                CertificateResponse r = sign(channel, withToken(csr(ec()), "agent-1", token));
                List<X509Certificate> chain = MeshTesting.certificates(r.getCertChainList());
                assertThat(chain).hasSize(3);
                assertThat(chain.get(1)).isEqualTo(intermediate.cert());
                assertThat(chain.get(2)).isEqualTo(root.cert());
                assertThat(MeshTesting.certificates(r.getTrustRootsList())).containsExactly(root.cert());
                MeshTesting.validates(chain);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void anRsaIntermediateSignsEcWorkloadCertificates() throws Exception {
        Issued root = ca("RSA root", null, true, MeshTesting.rsa());
        Issued intermediate = ca("RSA intermediate", root, true, MeshTesting.rsa());
        MeshCa ca = new MeshCa("cluster.local", CaMaterial.fromFiles(write("rsa-cert.pem", intermediate.cert(),
                root.cert()), write("rsa-key.pem", intermediate.key().getPrivate()), null));
        MeshCa.Issued issued = ca.sign(csr(ec()), new dev.ward.mesh.SpiffeId("cluster.local", "ns", "sa"),
                Duration.ofHours(1));
        List<X509Certificate> chain = MeshTesting.certificates(issued.chainPem());
        assertThat(chain.get(0).getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(chain).hasSize(3);
        MeshTesting.validates(chain);
    }

    @Test
    void filesThatCannotWorkAreRefusedAtStartWithWhatIsWrong() throws Exception {
        Issued root = ca("root", null, true);
        Issued intermediate = ca("intermediate", root, true);
        Issued leaf = ca("not a CA", root, false);
        Path cert = write("cert.pem", intermediate.cert());
        Path key = write("key.pem", intermediate.key().getPrivate());

        assertThat(start("--ca-cert", Files.writeString(dir.resolve("junk.pem"), "not pem").toString(),
                "--ca-key", key.toString()).err()).contains("junk.pem: no PEM certificate in it");
        assertThat(start("--ca-cert", cert.toString(), "--ca-key", cert.toString()).err())
                .contains("cert.pem: expected a PEM private key").contains("found a certificate");
        assertThat(start("--ca-cert", cert.toString(), "--ca-key", write("other.pem", root.key().getPrivate())
                .toString()).err()).contains("other.pem: the private key does not belong to the certificate CN=intermediate");
        assertThat(start("--ca-cert", write("leaf.pem", leaf.cert()).toString(), "--ca-key",
                write("leaf-key.pem", leaf.key().getPrivate()).toString()).err())
                .contains("CN=not a CA is not a CA certificate");
        assertThat(start("--ca-cert", cert.toString(), "--ca-key", key.toString(), "--ca-chain",
                write("wrong-root.pem", ca("another root", null, true).cert()).toString()).err())
                .contains("did not sign certificate 1");
        assertThat(start("--ca-cert", cert.toString()).err()).contains("--ca-cert and --ca-key go together");
        assertThatThrownBy(() -> CaMaterial.fromFiles(dir.resolve("missing.pem"), key, null))
                .hasMessageContaining("missing.pem: no such file");
    }

    @Test
    @org.junit.jupiter.api.Tag("process")
    void aCaMadeWithOpensslIsReadWithItsSec1Key() throws Exception {
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.crt");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=openssl CA", "-days", "10",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                "-out", cert.toString());
        assertThat(Files.readString(key)).contains("BEGIN EC PRIVATE KEY");
        CaMaterial m = CaMaterial.fromFiles(cert, key, null);
        assertThat(m.root().getSubjectX500Principal().getName()).isEqualTo("CN=openssl CA");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private NettyRelay.Run start(String... args) {
        RelayCommand command = new RelayCommand();
        command.env = Map.of("WARD_RELAY_AGENT_TOKEN", "t");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--port", "0", "--metrics-port", "0", "--store", dir.resolve("r.db").toString())).toArray(String[]::new);
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all);
        assertThat(exit).as(err.toString()).isEqualTo(2);
        return new NettyRelay.Run(exit, out.toString(), err.toString());
    }
}
