package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.registry.MediaTypes;
import dev.ward.registry.testing.LocalRegistry;
import dev.ward.registry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The agent image for linux/amd64 and linux/arm64 under one tag, and ward image embed into an arm64 application,
 * against a real local registry: the index lists one image per platform with the right platform, each image's
 * configuration says so, and the bin/java in each image's layer is an ELF of that platform's machine (62 x86_64, 183
 * aarch64). Mismatched bundles and platforms are refused before anything is pushed.
 */
@Timeout(900)
@Tag("process")
class MultiPlatformImageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path amd64;
    static Path arm64;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundles() throws Exception {
        arm64 = TestBundle.arm64();
        amd64 = TestBundle.get();
    }

    @Test
    void buildAgentPushesAnIndexWithOneImagePerPlatform() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String ref = registry.host() + "/ward-agent:multi";
            Run run = run(new BuildAgentCommand(), "--platform", "linux/amd64,linux/arm64", "--bundle",
                    "linux/amd64=" + amd64, "--bundle", "linux/arm64=" + arm64, "--to", ref);
            assertThat(run.code()).as(run.err()).isZero();
            byte[] raw = raw(registry, "ward-agent", "multi");
            assertThat(run.out().strip()).isEqualTo(ref + " " + LocalRegistry.sha256(raw));
            JsonNode index = JSON.readTree(raw);
            assertThat(index.get("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_LIST);
            assertThat(index.get("manifests")).hasSize(2);
            Map<String, Integer> machines = Map.of("amd64", 62, "arm64", 183);
            for (JsonNode entry : index.get("manifests")) {
                JsonNode platform = entry.get("platform");
                String arch = platform.get("architecture").asText();
                assertThat(platform.get("os").asText()).isEqualTo("linux");
                assertThat(platform.path("variant").asText(null)).isEqualTo(arch.equals("arm64") ? "v8" : null);
                JsonNode manifest = manifest(registry, "ward-agent", entry.get("digest").asText());
                JsonNode config = JSON.readTree(Files.readAllBytes(registry.blobFile(manifest.at("/config/digest").asText())));
                assertThat(config.get("architecture").asText()).isEqualTo(arch);
                assertThat(config.path("variant").asText(null)).isEqualTo(arch.equals("arm64") ? "v8" : null);
                assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/ward/bin/java\",\"@/ward/ward.args\",\"version\"]");
                assertThat(manifest.get("layers")).hasSize(1);
                Path layer = registry.blobFile(manifest.at("/layers/0/digest").asText());
                assertThat(javaMachine(layer)).as(arch + " layer's ward/bin/java").isEqualTo(machines.get(arch));
            }
        }
    }

    @Test
    void mismatchedBundlesAndTarsOfSeveralPlatformsAreRefused() throws Exception {
        Run wrong = run(new BuildAgentCommand(), "--platform", "linux/amd64,linux/arm64", "--bundle",
                "linux/amd64=" + amd64, "--bundle", "linux/arm64=" + amd64, "--to", "127.0.0.1:1/ward-agent:x");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("the bundle " + amd64 + " is x86_64 (linux/amd64), but --bundle linux/arm64=")
                .contains("is linux/arm64/v8: give a bundle of that platform (ward image bundle --platform linux/arm64/v8 --jdk");
        Run tar = run(new BuildAgentCommand(), "--platform", "linux/amd64,linux/arm64", "--to-tar",
                dir.resolve("a.tar").toString());
        assertThat(tar.code()).isEqualTo(2);
        assertThat(tar.err()).contains("--to-tar holds one platform");
        Run noJdk = run(new BuildAgentCommand(), "--platform", "linux/arm64", "--to", "127.0.0.1:1/ward-agent:x");
        assertThat(noJdk.code()).isEqualTo(2);
        assertThat(noJdk.err()).contains("needs --jdk DIR");
        assertThat(dir.resolve("a.tar")).doesNotExist();
    }

    @Test
    void embedProtectsAnArm64ApplicationWithTheArm64Bundle() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            TestImage app = TestImage.linux("arm64").withVariant("v8").withEntrypoint("/app").withCmd("serve");
            registry.push("team/app", "arm64", LocalRegistry.Format.OCI, app);
            registry.pushIndex("team/app", "multi", LocalRegistry.Format.OCI, List.of(TestImage.linux("amd64")
                    .withEntrypoint("/app"), app));
            String from = registry.host() + "/team/app:arm64";
            Run refused = run(new EmbedCommand(), "--from", from, "--to", registry.host() + "/team/app:bad", "--bundle",
                    amd64.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("the bundle " + amd64 + " is x86_64 (linux/amd64), but " + from
                    + " is linux/arm64/v8");
            Run forced = run(new EmbedCommand(), "--from", from, "--to", registry.host() + "/team/app:bad",
                    "--platform", "linux/amd64", "--bundle", amd64.toString());
            assertThat(forced.code()).isEqualTo(2);
            assertThat(forced.err()).contains("no manifest for platform linux/amd64; the image has only linux/arm64/v8");

            for (String[] c : List.of(new String[]{from, "arm64-ward"}, new String[]{registry.host() + "/team/app:multi",
                    "multi-ward", "--platform", "linux/arm64"})) {
                List<String> args = new java.util.ArrayList<>(List.of("--from", c[0], "--to", registry.host()
                        + "/team/app:" + c[1], "--bundle", arm64.toString()));
                args.addAll(List.of(c).subList(2, c.length));
                Run run = run(new EmbedCommand(), args.toArray(String[]::new));
                assertThat(run.code()).as(run.err()).isZero();
                JsonNode manifest = manifest(registry, "team/app", c[1]);
                JsonNode config = JSON.readTree(Files.readAllBytes(registry.blobFile(manifest.at("/config/digest").asText())));
                assertThat(config.get("architecture").asText()).isEqualTo("arm64");
                assertThat(config.at("/config/Entrypoint").toString()).startsWith("[\"/ward/bin/env\"").endsWith("\"--\",\"/app\"]");
                Path layer = registry.blobFile(manifest.get("layers").get(manifest.get("layers").size() - 1).get("digest").asText());
                assertThat(javaMachine(layer)).isEqualTo(183);
            }
        }
    }

    record Run(int code, String out, String err) { }

    private static Run run(Callable<Integer> command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(command).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static JsonNode manifest(LocalRegistry registry, String repository, String reference) throws Exception {
        return JSON.readTree(raw(registry, repository, reference));
    }

    private static byte[] raw(LocalRegistry registry, String repository, String reference) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.uri() + "/v2/" + repository + "/manifests/" + reference))
                .header("Accept", String.join(", ", MediaTypes.DOCKER_LIST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST,
                        MediaTypes.OCI_MANIFEST)).build();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.body();
    }

    /** The e_machine of ward/bin/java in a gzipped layer, read by GNU tar. */
    private static int javaMachine(Path layer) throws Exception {
        Process p = new ProcessBuilder("tar", "-xzOf", layer.toString(), "--wildcards", "*ward/bin/java").start();
        byte[] head = p.getInputStream().readNBytes(20);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return Elf.machine(head, layer + ": ward/bin/java");
    }
}
