package dev.ward.registry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed RSA certificate for 127.0.0.1/localhost made with the JDK's keytool, written as PEM files
 * the distribution registry reads (certificate and PKCS#8 key). Used both as the registry's TLS certificate
 * and as the token signing certificate.
 *
 * @param certificatePem PEM certificate file
 * @param keyPem         PEM PKCS#8 private key file
 */
public record TestCertificate(Path certificatePem, Path keyPem, X509Certificate certificate, PrivateKey key) {
    private static final char[] PASSWORD = "changeit".toCharArray();

    /** Generates a certificate in {@code dir} under {@code name}.crt / {@code name}.key. */
    public static TestCertificate generate(Path dir, String name) throws IOException {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD);
            X509Certificate cert = (X509Certificate) ks.getCertificate(name);
            Path crt = dir.resolve(name + ".crt");
            Path keyFile = dir.resolve(name + ".key");
            Files.writeString(crt, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            return new TestCertificate(crt, keyFile, cert, key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("reading the generated key store " + store + ": " + e, e);
        }
    }

    /** An SSL context that trusts only this certificate. */
    public SSLContext trustingContext() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("test", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("building a trust store for the test certificate: " + e, e);
        }
    }

    static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
