package dev.ward.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server context from a PEM certificate chain (the serving certificate first) and its PEM private key: the
 * relay's console and the admission webhook. The key must be the certificate's. A file that is not what is expected
 * is an {@link IllegalArgumentException} naming it.
 */
public final class ServerTls {
    private ServerTls() {
    }

    public static SSLContext context(Path certFile, Path keyFile) {
        List<X509Certificate> chain = Pem.certificates(Pem.read(certFile), certFile.toString());
        PrivateKey key = Pem.privateKey(Pem.read(keyFile), keyFile.toString());
        if (!KeyPairs.matches(key, chain.getFirst())) {
            throw new IllegalArgumentException(keyFile + " does not go with " + certFile + ": the key is not the "
                    + "certificate's (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(keyFile + " does not go with " + certFile + ": " + e.getMessage(), e);
        }
    }
}
