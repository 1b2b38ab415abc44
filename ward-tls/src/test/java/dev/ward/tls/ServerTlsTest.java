package dev.ward.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server contexts from PEM files: a real handshake with the right pair, and errors that name the file. */
class ServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void servesTlsWithTheCertificateAndItsKey() throws Exception {
        KeyPair pair = ec();
        X509Certificate cert = selfSigned(pair, "localhost");
        Path certFile = Files.writeString(dir.resolve("cert.pem"), Pem.certificate(cert.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("key.pem"), Pem.privateKey(pair.getPrivate()));
        SSLContext server = ServerTls.context(certFile, keyFile);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (var accepted = listener.accept(); InputStream in = accepted.getInputStream()) {
                    return in.read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) trusting(cert).getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.startHandshake();
                assertThat(((X509Certificate) client.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName()).isEqualTo("CN=localhost");
                OutputStream out = client.getOutputStream();
                out.write(42);
                out.flush();
                assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            }
        }
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        Path certFile = Files.writeString(dir.resolve("cert.pem"), Pem.certificate(selfSigned(ec(), "a")
                .getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("other.pem"), Pem.privateKey(ec().getPrivate()));
        assertThatThrownBy(() -> ServerTls.context(certFile, keyFile)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(keyFile + " does not go with " + certFile + ": the key is not the certificate's (CN=a)");
    }

    @Test
    void namesTheFileThatIsMissingBinaryOrOfTheWrongKind() throws Exception {
        KeyPair pair = ec();
        X509Certificate cert = selfSigned(pair, "b");
        Path keyFile = Files.writeString(dir.resolve("key.pem"), Pem.privateKey(pair.getPrivate()));
        Path der = Files.write(dir.resolve("cert.der"), cert.getEncoded());
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> ServerTls.context(missing, keyFile)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> ServerTls.context(der, keyFile))
                .hasMessage(der + ": not a PEM text file (binary DER? convert it with openssl)");
        assertThatThrownBy(() -> ServerTls.context(keyFile, keyFile)).hasMessage(keyFile
                + ": expected PEM certificates (BEGIN CERTIFICATE), found a private key as PEM object 1");
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair pair, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
