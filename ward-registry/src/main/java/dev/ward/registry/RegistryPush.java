package dev.ward.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one image reference's repository: blobs (unless the repository has them: {@code HEAD} first), uploaded
 * monolithically ({@code POST}, then one {@code PUT} with the digest), mounted from another repository of the same
 * registry, or copied from another registry; then the manifest under the reference's tag. Authenticates as the
 * client does for pulls, asking the token service for push access. Made by {@link RegistryClient#push}; not
 * thread-safe.
 *
 * <pre>{@code
 * RegistryPush push = client.push("registry.example.com/team/app:1-ward");
 * RemoteImage base = client.image("registry.example.com/team/app:1", Platform.LINUX_AMD64);
 * for (Descriptor layer : base.layers()) {
 *     push.copy(base, layer);                 // mounted: same registry
 * }
 * push.upload(myLayer, Path.of("layer.tar.gz"));
 * push.upload(configDescriptor, configBytes);
 * String digest = push.putManifest(MediaTypes.OCI_MANIFEST, manifestBytes);
 * }</pre>
 */
public final class RegistryPush {
    private final RegistryTransport transport;
    private final RegistrySession session;
    private TransferProgress progress = TransferProgress.NONE;

    RegistryPush(RegistryTransport transport, RegistrySession session) {
        this.transport = transport;
        this.session = session;
    }

    /** Reports each blob's uploads, downloads and bytes to {@code p} from now on; returns this push. */
    public RegistryPush progress(TransferProgress p) {
        this.progress = p;
        return this;
    }

    /** Whether the repository has the blob {@code digest}. */
    public boolean hasBlob(String digest) throws RegistryException {
        String what = "blob " + digest;
        HttpResponse<InputStream> r = session.request("HEAD", session.uri("/blobs/" + digest), null, null, null, what);
        if (r.statusCode() == 200 || r.statusCode() == 404) {
            RegistryTransport.close(r);
            return r.statusCode() == 200;
        }
        session.expectStatus(session.read(r, 0, what), 200, what);
        return true;
    }

    /** Uploads {@code bytes} as the blob {@code blob} unless the repository has it. */
    public void upload(Descriptor blob, byte[] bytes) throws RegistryException {
        if (hasBlob(blob.digest())) {
            progress.finished(blob, "exists");
            return;
        }
        progress.started(blob, "push");
        put(start(), blob, HttpRequest.BodyPublishers.ofByteArray(bytes));
        progress.finished(blob, "pushed");
    }

    /** Uploads {@code file} as the blob {@code blob} unless the repository has it. */
    public void upload(Descriptor blob, Path file) throws RegistryException {
        if (hasBlob(blob.digest())) {
            progress.finished(blob, "exists");
            return;
        }
        progress.started(blob, "push");
        put(start(), blob, publisher(file));
        progress.finished(blob, "pushed");
    }

    /**
     * Makes sure the repository has {@code blob} of {@code from}: already there, mounted from {@code from}'s
     * repository when both are on one registry (no bytes move), else downloaded from {@code from} (verified) and
     * uploaded.
     */
    public void copy(RemoteImage from, Descriptor blob) throws RegistryException {
        if (hasBlob(blob.digest())) {
            progress.finished(blob, "exists");
            return;
        }
        ImageReference source = RegistryClient.parse(from.image());
        URI location = null;
        if (source.registry().equals(session.ref().registry())) {
            location = mount(blob, source.repository());
            if (location == null) {
                progress.finished(blob, "mounted");
                return;
            }
        }
        Path tmp;
        try {
            tmp = Files.createTempFile("ward-blob", ".part");
        } catch (IOException e) {
            throw new RegistryException(session.image() + ": cannot create a temporary file for " + blob.digest() + ": " + e, e);
        }
        try {
            progress.started(blob, "pull");
            transport.session(from.image(), source, false).download(blob, tmp, progress);
            progress.finished(blob, "pulled");
            progress.started(blob, "push");
            put(location != null ? location : start(), blob, publisher(tmp));
            progress.finished(blob, "pushed");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a temporary file left behind; nothing else to do
            }
        }
    }

    /** PUTs the manifest under the reference's tag (or digest); returns the manifest's digest. */
    public String putManifest(String mediaType, byte[] manifest) throws RegistryException {
        String what = "manifest " + session.ref().reference();
        RegistrySession.Response r = session.read(session.request("PUT", session.uri("/manifests/"
                + session.ref().reference()), null, mediaType, HttpRequest.BodyPublishers.ofByteArray(manifest), what),
                1 << 16, what);
        session.expectStatus(r, 201, what);
        return RegistryTransport.sha256(manifest);
    }

    /** A cross-repository mount; null when mounted, else where to upload (the registry started an upload instead). */
    private URI mount(Descriptor blob, String fromRepository) throws RegistryException {
        String what = "mount of " + blob.digest() + " from " + fromRepository;
        URI uri = session.uri("/blobs/uploads/?mount=" + RegistryHttp.enc(blob.digest()) + "&from="
                + RegistryHttp.enc(fromRepository));
        RegistrySession.Response r = session.read(session.request("POST", uri, null, null, null, what), 1 << 16, what);
        return switch (r.status()) {
            case 201 -> null;
            case 202 -> location(r, what);
            default -> start(); // not allowed to read the other repository: upload the bytes
        };
    }

    private URI start() throws RegistryException {
        String what = "blob upload";
        RegistrySession.Response r = session.read(session.request("POST", session.uri("/blobs/uploads/"), null, null,
                null, what), 1 << 16, what);
        session.expectStatus(r, 202, what);
        return location(r, what);
    }

    private URI location(RegistrySession.Response r, String what) throws RegistryException {
        String location = r.header("Location");
        if (location == null) {
            throw new RegistryException(session.image() + ": " + session.ref().registry() + " answered " + what
                    + " without a Location");
        }
        return session.uri("/").resolve(location);
    }

    private void put(URI location, Descriptor blob, HttpRequest.BodyPublisher body) throws RegistryException {
        String what = "upload of " + blob.digest();
        URI uri = URI.create(location + (location.getRawQuery() == null ? "?" : "&") + "digest="
                + RegistryHttp.enc(blob.digest()));
        HttpResponse<InputStream> sent = session.request("PUT", uri, null, "application/octet-stream",
                progress == TransferProgress.NONE ? body : new CountingPublisher(body, blob, progress), what);
        session.expectStatus(session.read(sent, 1 << 16, what), 201, what);
    }

    private HttpRequest.BodyPublisher publisher(Path file) throws RegistryException {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new RegistryException(session.image() + ": cannot read " + file + " to upload it: " + e.getMessage(), e);
        }
    }
}
