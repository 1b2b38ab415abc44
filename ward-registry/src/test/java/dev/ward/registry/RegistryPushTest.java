package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.LocalRegistry.Format;
import dev.ward.registry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing through {@link RegistryPush} to the real distribution registry: blob checks and uploads, manifests read
 * back by the client, push access from the token service, cross-repository mounts and copies between registries.
 */
@Tag("process")
class RegistryPushTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestImage APP = TestImage.linux("amd64").withEntrypoint("/app").withCmd("--serve")
            .withLayer(Map.of("app", "#!/bin/sh\necho app\n".getBytes(StandardCharsets.UTF_8)));

    @TempDir
    Path tmp;

    @Test
    void uploadsBlobsAndAManifestTheClientReadsBack() throws Exception {
        try (LocalRegistry reg = LocalRegistry.start()) {
            RegistryClient client = RegistryClient.builder().authFiles(List.of()).ecr(false).build();
            String target = reg.host() + "/team/pushed:1";
            RegistryPush push = client.push(target);
            byte[] layer = APP.layers().getFirst().gzip();
            Descriptor layerBlob = new Descriptor(MediaTypes.OCI_LAYER, LocalRegistry.sha256(layer), layer.length);
            assertThat(push.hasBlob(layerBlob.digest())).isFalse();
            Path file = Files.write(tmp.resolve("layer.tar.gz"), layer);
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            push.progress(new TransferProgress() {
                @Override
                public void started(Descriptor blob, String action) {
                    events.add(action + " " + blob.size());
                }

                @Override
                public void advanced(Descriptor blob, long bytes) {
                    events.add("bytes " + bytes);
                }

                @Override
                public void finished(Descriptor blob, String outcome) {
                    events.add(outcome);
                }
            });
            push.upload(layerBlob, file);
            assertThat(push.hasBlob(layerBlob.digest())).isTrue();
            assertThat(events).startsWith("push " + layer.length).endsWith("bytes " + layer.length, "pushed");
            push.upload(layerBlob, file);
            assertThat(events).last().isEqualTo("exists");
            byte[] config = APP.configJson();
            Descriptor configBlob = new Descriptor(MediaTypes.OCI_CONFIG, LocalRegistry.sha256(config), config.length);
            push.upload(configBlob, config);
            byte[] manifest = manifest(MediaTypes.OCI_MANIFEST, configBlob, List.of(layerBlob));
            String digest = push.putManifest(MediaTypes.OCI_MANIFEST, manifest);

            RemoteImage read = client.image(target, Platform.LINUX_AMD64);
            assertThat(read.digest()).isEqualTo(digest).isEqualTo(LocalRegistry.sha256(manifest));
            assertThat(read.isOci()).isTrue();
            assertThat(read.config()).isEqualTo(configBlob);
            assertThat(read.configJson()).isEqualTo(config);
            assertThat(read.layers()).containsExactly(layerBlob);
            assertThat(client.config(target, Platform.LINUX_AMD64).cmd()).containsExactly("--serve");
        }
    }

    @Test
    void pushAccessComesFromTheTokenServiceWithTheCredentials() throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().tls().tokenAuth("alice", "s3cret").start()) {
            String target = reg.host() + "/private/pushed:1";
            byte[] config = APP.configJson();
            Descriptor blob = new Descriptor(MediaTypes.OCI_CONFIG, LocalRegistry.sha256(config), config.length);
            RegistryClient anonymous = base(reg).build();
            assertThatThrownBy(() -> anonymous.push(target).upload(blob, config)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("unauthorized at " + reg.host()).hasMessageContaining("--registry-auth");
            RegistryClient wrong = base(reg).credential(reg.host(), new RegistryCredential("alice", "wrong")).build();
            assertThatThrownBy(() -> wrong.push(target).upload(blob, config)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("were refused or lack push access to private/pushed");

            RegistryClient alice = base(reg).credential(reg.host(), new RegistryCredential("alice", "s3cret")).build();
            RegistryPush push = alice.push(target);
            push.upload(blob, config);
            push.putManifest(MediaTypes.OCI_MANIFEST, manifest(MediaTypes.OCI_MANIFEST, blob, List.of()));
            assertThat(alice.config(target, Platform.LINUX_AMD64).entrypoint()).containsExactly("/app");
        }
    }

    @Test
    void aBlobOfTheSameRegistryIsMountedAndOneOfAnotherIsCopiedAndVerified() throws Exception {
        try (LocalRegistry reg = LocalRegistry.builder().tls().tokenAuth("alice", "s3cret").start();
             LocalRegistry other = LocalRegistry.start()) {
            reg.push("private/base", "1", Format.DOCKER, APP);
            RegistryClient client = base(reg).credential(reg.host(), new RegistryCredential("alice", "s3cret")).build();
            RemoteImage base = client.image(reg.host() + "/private/base:1", Platform.LINUX_AMD64);
            Descriptor layer = base.layers().getFirst();

            RegistryPush elsewhere = client.push(other.host() + "/copied/app:1");
            elsewhere.copy(base, layer);
            assertThat(elsewhere.hasBlob(layer.digest())).isTrue();
            assertThat(Files.readAllBytes(other.blobFile(layer.digest()))).isEqualTo(APP.layers().getFirst().gzip());

            // The registry serves stored bytes without checking them: a copy downloads and verifies, so it fails
            // on a corrupted blob, while a mount moves no bytes and succeeds.
            Path stored = reg.blobFile(layer.digest());
            byte[] corrupt = Files.readAllBytes(stored);
            corrupt[corrupt.length - 1] ^= 1;
            Files.write(stored, corrupt);
            RegistryPush third = client.push(other.host() + "/another/app:1");
            assertThatThrownBy(() -> third.copy(base, layer)).hasMessageContaining("digest mismatch");
            RegistryPush sameRegistry = client.push(reg.host() + "/private/app-ward:1");
            sameRegistry.copy(base, layer);
            assertThat(sameRegistry.hasBlob(layer.digest())).isTrue();
        }
    }

    private static RegistryClient.Builder base(LocalRegistry reg) throws RegistryException {
        return RegistryClient.builder().authFiles(List.of()).ecr(false).trustCertificates(reg.certificate().certificatePem());
    }

    private static byte[] manifest(String type, Descriptor config, List<Descriptor> layers) throws Exception {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", type);
        m.putObject("config").put("mediaType", config.mediaType()).put("digest", config.digest()).put("size", config.size());
        var array = m.putArray("layers");
        layers.forEach(l -> array.addObject().put("mediaType", l.mediaType()).put("digest", l.digest()).put("size", l.size()));
        return JSON.writeValueAsBytes(m);
    }
}
