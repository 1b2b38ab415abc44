package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.testing.TestImages;
import dev.ward.registry.testing.LocalRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An image in a registry on this machine's loopback, as ward image build-agent and ward image embed push it (plain
 * HTTP): ward local pulls it, where podman alone refuses ("server gave HTTP response to HTTPS client").
 */
@Timeout(180)
@Tag("container")
class LocalRegistryPullTest {
    @Test
    void anImageInALoopbackRegistryIsPulledOverPlainHttp() throws Exception {
        Podman podman = TestImages.podman();
        String image = null;
        try (LocalRegistry registry = LocalRegistry.start()) {
            image = registry.host() + "/team/busybox:1";
            podman.check("push", "push", "--tls-verify=false", TestImages.busybox(), image);
            // podman's own rule: TLS, which this registry does not speak
            Podman.Result plain = podman.run(List.of("pull", image));
            assertThat(plain.ok()).isFalse();

            ObjectNode hello = Tasks.container("hello", image, "echo", "pulled and ran");
            Tasks.Collected logs = new Tasks.Collected();
            try (LocalTask t = LocalTask.start(Tasks.parse(Tasks.task("pull", hello)),
                    LocalOptions.builder().logs(logs).pull("always").maxStopTimeout(Duration.ofSeconds(1)).build())) {
                assertThat(t.awaitStopped(Duration.ofSeconds(60))).as(logs.text()).isZero();
            }
            assertThat(logs.text()).contains("pulled and ran");
        } finally {
            if (image != null) {
                podman.run(List.of("rmi", "-f", image));
            }
        }
    }

    @Test
    void loopbackAndNamedRegistriesAreInsecureOthersAreNot() {
        assertThat(InsecureRegistries.insecure("127.0.0.1:5000/app:1", List.of())).isTrue();
        assertThat(InsecureRegistries.insecure("localhost:5000/app@sha256:00", List.of())).isTrue();
        assertThat(InsecureRegistries.insecure("[::1]:5000/app:1", List.of())).isTrue();
        assertThat(InsecureRegistries.insecure("registry.lan:5000/app:1", List.of("registry.lan:5000"))).isTrue();
        assertThat(InsecureRegistries.insecure("registry.lan:5000/app:1", List.of("registry.lan"))).isTrue();
        assertThat(InsecureRegistries.insecure("registry.lan:5000/app:1", List.of())).isFalse();
        assertThat(InsecureRegistries.insecure("nginx:1.27", List.of())).isFalse();
        assertThat(InsecureRegistries.insecure("library/nginx:1.27", List.of("library"))).isFalse();
        PodmanPlan p = new PodmanPlan(TaskDefinitionReader.parse(null, """
                {"family": "f", "containerDefinitions": [{"name": "a", "image": "127.0.0.1:5000/a:1"},
                  {"name": "b", "image": "public.ecr.aws/b/b:1"}]}"""), "0123456789abcdef0123456789abcdef",
                LocalOptions.builder().build());
        assertThat(p.containerCreate(p.def.container("a").orElseThrow(), "http://x", List.of())).contains("--tls-verify=false");
        assertThat(p.containerCreate(p.def.container("b").orElseThrow(), "http://x", List.of())).doesNotContain("--tls-verify=false");
    }
}
