package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.api.Entrypoint;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One plan per container, whichever format wrote it: Docker's argv rules and the root decision in one place. */
class ProtectionPlanTest {
    /** nginx's image: ENTRYPOINT [/docker-entrypoint.sh], CMD [nginx -g daemon off;], USER unset (root). */
    private static final ImageConfigSource NGINX = (image, platform) -> image.equals("nginx")
            ? InjectGoldenTest.imageConfig(List.of("/docker-entrypoint.sh"), List.of("nginx", "-g", "daemon off;"), "")
            : InjectGoldenTest.imageConfig(List.of("/app"), List.of(), "1000:1000");

    private static ProtectionPlan plan(String image, List<String> entry, List<String> cmd, String user)
            throws InjectException {
        return ProtectionPlan.of(new ProtectionPlan.Container("container web", image, entry, cmd,
                entry != null || cmd != null, user, Platform.LINUX_AMD64, "no argv here", "none at all"),
                InjectGoldenTest.sidecar(), NGINX, new ArrayList<>());
    }

    @Test
    void dockersArgvRules() throws InjectException {
        // nothing written: the image's entry point and command
        assertThat(plan("nginx", null, null, null).argv()).containsExactly("/docker-entrypoint.sh", "nginx", "-g",
                "daemon off;");
        // a command replaces the image's CMD only
        assertThat(plan("nginx", null, List.of("nginx", "-T"), null).argv())
                .containsExactly("/docker-entrypoint.sh", "nginx", "-T");
        // an entry point replaces both, and the image is not read (an unknown image would fail to be)
        assertThat(plan("unreachable", List.of("/bin/sh", "-c"), List.of("exec app"), null).argv())
                .containsExactly("/bin/sh", "-c", "exec app");
        assertThat(plan("nginx", null, null, null).wardEntrypoint()).startsWith(Entrypoint.PREFIX.toArray(String[]::new))
                .containsSubsequence("run", "--", "/docker-entrypoint.sh");
    }

    @Test
    void rootIsDecidedOnceFromTheDeclaredUserElseTheImages() throws InjectException {
        assertThat(plan("nginx", null, null, null).root()).isTrue();               // image USER unset
        assertThat(plan("app", null, null, null).root()).isFalse();                // image USER 1000:1000
        assertThat(plan("app", null, null, null).user()).isEqualTo("1000:1000");
        assertThat(plan("app", null, null, "0").root()).isTrue();                  // declared wins (ECS user, k8s uid)
        assertThat(plan("nginx", null, null, "nobody").root()).isFalse();
        // the argv given, the image unread: unknown counts as root
        ProtectionPlan unread = plan("app", List.of("/app"), null, null);
        assertThat(unread.user()).isNull();
        assertThat(unread.root()).isTrue();
        assertThat(ProtectionPlan.runsAsRoot("root:wheel")).isTrue();
        assertThat(ProtectionPlan.runsAsRoot(" 0 ")).isTrue();
        assertThat(ProtectionPlan.runsAsRoot("1000")).isFalse();
    }

    @Test
    void problemsNameTheContainerInTheFormatsWords() {
        ImageConfigSource down = (image, platform) -> {
            throw new RegistryException("registry down");
        };
        assertThatThrownBy(() -> ProtectionPlan.of(new ProtectionPlan.Container("Deployment/x container web", "nginx",
                null, null, false, null, Platform.LINUX_AMD64, "no command in the manifest", "none"),
                InjectGoldenTest.sidecar(), down, new ArrayList<>()))
                .hasMessage("Deployment/x container web: no command in the manifest, so Ward must read the image's: "
                        + "registry down");
        assertThatThrownBy(() -> plan("nginx", List.of(), null, null))
                .hasMessage("container web: no command to run: none at all");
        assertThatThrownBy(() -> plan("", null, null, null)).hasMessage("container web: image: missing");
    }
}
