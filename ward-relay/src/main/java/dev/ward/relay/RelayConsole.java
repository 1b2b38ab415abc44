package dev.ward.relay;

import dev.ward.tls.ServerTls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.net.ssl.SSLContext;

/**
 * The relay's web console, as {@code ward relay --console-port} starts it. ward-console implements it and is found
 * with {@link ServiceLoader}, so that the relay does not depend on the console (nor on what serves it).
 */
public interface RelayConsole {
    /**
     * Starts serving on {@code address}: HTTPS with {@code tls} when it is not null, else plain HTTP.
     *
     * @throws IOException              when the address cannot be bound
     * @throws IllegalArgumentException when the relay cannot have a console (no read or admin token to log in with)
     */
    Running start(ConsoleHost relay, InetSocketAddress address, SSLContext tls, PrintStream log) throws IOException;

    /** A started console; closing it stops it. */
    interface Running extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    /**
     * The TLS context the console serves with, from the relay's {@code --tls-cert} and {@code --tls-key} (PEM); an
     * IllegalArgumentException naming the file when one is not what is expected.
     */
    static SSLContext tls(Path cert, Path key) {
        return ServerTls.context(cert, key);
    }

    /** The console on the class path, if there is one. */
    static Optional<RelayConsole> find() {
        return ServiceLoader.load(RelayConsole.class, RelayConsole.class.getClassLoader()).findFirst();
    }
}
