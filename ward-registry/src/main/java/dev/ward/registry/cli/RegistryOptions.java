package dev.ward.registry.cli;

import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryCredential;
import dev.ward.registry.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The registry options every command that reads or pushes images shares ({@code ward image inspect},
 * {@code ward image embed}, {@code ward image build-agent}, {@code ward inject}): add
 * {@code @Mixin RegistryOptions registry;} and call {@link #client()}; the client applies them (credentials, trust,
 * insecure registries) to every request.
 */
public final class RegistryOptions {
    /** {@code --registry-auth HOST=USER:@env:VAR}: the password is the value of VAR. */
    static final String ENV_PREFIX = "@env:";

    @Option(names = "--registry-auth", paramLabel = "HOST=USER:PASSWORD",
            description = "Credentials for a registry (repeatable). PASSWORD @env:VAR reads it from environment"
                    + " variable VAR; or use --registry-auth-env / --registry-auth-file to keep it out of shell history.")
    List<String> auth = new ArrayList<>();

    @Option(names = "--registry-auth-env", paramLabel = "HOST=USER:ENVVAR",
            description = "Credentials for a registry, the password read from environment variable ENVVAR (repeatable).")
    List<String> authEnv = new ArrayList<>();

    @Option(names = "--registry-auth-file", paramLabel = "HOST=USER:FILE",
            description = "Credentials for a registry, the password read from FILE (repeatable).")
    List<String> authFile = new ArrayList<>();

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP for this registry (repeatable; localhost and 127.0.0.1 always are).")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--registry-ca-cert", paramLabel = "PEM",
            description = "Also trust the certificates in this PEM file (self-signed registries).")
    Path caCert;

    /** A client with these options on top of the defaults (auth files, ECR). */
    public RegistryClient client() throws RegistryException {
        return client(RegistryClient.builder(), System.getenv());
    }

    RegistryClient client(RegistryClient.Builder builder, Map<String, String> env) throws RegistryException {
        RegistryClient.Builder b = builder;
        for (String a : auth) {
            Parsed p = parse("--registry-auth", a, "HOST=USER:PASSWORD");
            String password = p.value();
            if (password.startsWith(ENV_PREFIX)) {
                String var = password.substring(ENV_PREFIX.length());
                password = var.isEmpty() ? null : env.get(var);
                if (password == null || password.isEmpty()) {
                    throw new RegistryException("--registry-auth " + a + ": environment variable '" + var
                            + "' is not set or empty");
                }
            }
            b = b.credential(p.host(), new RegistryCredential(p.user(), password));
        }
        for (String a : authEnv) {
            Parsed p = parse("--registry-auth-env", a, "HOST=USER:ENVVAR");
            String password = env.get(p.value());
            if (password == null || password.isEmpty()) {
                throw new RegistryException("--registry-auth-env " + p.host() + "=" + p.user() + ":" + p.value()
                        + ": environment variable " + p.value() + " is not set or empty");
            }
            b = b.credential(p.host(), new RegistryCredential(p.user(), password));
        }
        for (String a : authFile) {
            Parsed p = parse("--registry-auth-file", a, "HOST=USER:FILE");
            String password;
            try {
                password = Files.readString(Path.of(p.value()), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new RegistryException("--registry-auth-file " + a + ": cannot read " + p.value() + " (" + e + ")", e);
            }
            if (password.isEmpty()) {
                throw new RegistryException("--registry-auth-file " + a + ": " + p.value() + " is empty");
            }
            b = b.credential(p.host(), new RegistryCredential(p.user(), password));
        }
        for (String host : insecure) {
            b = b.insecureRegistry(host);
        }
        if (caCert != null) {
            b = b.trustCertificates(caCert);
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    /** HOST=USER:VALUE; the user name may not contain ':', the value may. */
    record Parsed(String host, String user, String value) { }

    static Parsed parse(String option, String text, String expected) throws RegistryException {
        int eq = text.indexOf('=');
        int colon = eq < 0 ? -1 : text.indexOf(':', eq + 1);
        if (eq <= 0 || colon < 0 || colon == eq + 1 || colon == text.length() - 1) {
            String shown = option.equals("--registry-auth") && eq > 0 ? text.substring(0, eq) + "=..." : text;
            throw new RegistryException(option + " '" + shown + "': expected " + expected);
        }
        return new Parsed(text.substring(0, eq), text.substring(eq + 1, colon), text.substring(colon + 1));
    }
}
