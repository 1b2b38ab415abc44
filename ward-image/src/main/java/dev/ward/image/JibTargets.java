package dev.ward.image;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import dev.ward.registry.RegistryCredential;
import java.util.Optional;

/**
 * Registry images for Jib with the credentials Ward's registry options find ({@code --registry-auth...}, the
 * podman/docker auth files, ECR's GetAuthorizationToken), so that pushing and pulling through Jib authenticates
 * exactly as {@code ward image inspect} and {@code ward inject} do.
 */
final class JibTargets {
    private JibTargets() {
    }

    /** What to tell a user whose push or pull Jib was refused. */
    static String unauthorized(String refs, Exception e) {
        return refs + ": the registry refused the credentials or asked for some (" + e.getMessage() + "). Pass "
                + "--registry-auth HOST=USER:@env:VAR (or --registry-auth-file / --registry-auth-env), log in with "
                + "podman login or docker login, or for ECR set AWS credentials";
    }

    static RegistryImage image(RegistryClient client, String ref) throws RegistryException {
        RegistryImage image;
        try {
            image = RegistryImage.named(ref);
        } catch (InvalidImageReferenceException e) {
            throw new RegistryException(ref + ": not an image reference (" + e.getMessage() + ")", e);
        }
        Optional<RegistryCredential> c = client.credential(ref);
        c.ifPresent(credential -> image.addCredential(credential.username(), credential.password()));
        return image;
    }
}
