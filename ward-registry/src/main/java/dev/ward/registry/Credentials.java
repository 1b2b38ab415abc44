package dev.ward.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a registry's credentials come from: a chain of retrievers, asked in order, the first answer wins (Jib's
 * split: the authenticator asks for a credential, it does not know where credentials live).
 *
 * <ol>
 *   <li>{@code --registry-auth} and its variants (explicit);</li>
 *   <li>the {@code auths} of the auth files podman and docker write, in podman's order;</li>
 *   <li>the credential helpers those files name ({@code credHelpers} for the host, else {@code credsStore}), run as
 *       {@code docker-credential-NAME get} (see {@link CredentialHelpers});</li>
 *   <li>ECR's GetAuthorizationToken for ECR hosts, when enabled.</li>
 * </ol>
 */
final class Credentials {
    /** A found credential and where it came from (for error messages). */
    record Found(RegistryCredential credential, String source) { }

    /** One place credentials may come from. */
    @FunctionalInterface
    interface Retriever {
        Optional<Found> retrieve(ImageReference ref, String image) throws RegistryException;
    }

    private final List<Retriever> chain;

    Credentials(List<Retriever> chain) {
        this.chain = List.copyOf(chain);
    }

    /** The chain {@code settings} configure; credential helpers are found on {@code env}'s PATH. */
    static Credentials of(RegistryClient.Settings settings, Map<String, String> env) {
        List<Retriever> chain = new ArrayList<>();
        chain.add((ref, image) -> Optional.ofNullable(settings.credentials().get(AuthFiles.normalizeHost(ref.registry())))
                .map(c -> new Found(c, "--registry-auth")));
        chain.add((ref, image) -> {
            for (Path file : settings.authFiles()) {
                if (Files.isRegularFile(file)) {
                    Optional<RegistryCredential> c = AuthFiles.lookup(file, ref);
                    if (c.isPresent()) {
                        return Optional.of(new Found(c.get(), "auth file " + file));
                    }
                }
            }
            return Optional.empty();
        });
        chain.add(new CredentialHelpers(settings.authFiles(), env));
        if (settings.ecr()) {
            chain.add((ref, image) -> {
                Optional<Ecr.Host> ecr = Ecr.parse(ref.registry());
                if (ecr.isEmpty()) {
                    return Optional.empty();
                }
                return Ecr.credential(ecr.get(), image).map(c -> new Found(c, "ECR GetAuthorizationToken"));
            });
        }
        return new Credentials(chain);
    }

    /** The first retriever's answer, or empty. */
    Optional<Found> find(ImageReference ref, String image) throws RegistryException {
        for (Retriever r : chain) {
            Optional<Found> f = r.retrieve(ref, image);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }
}
