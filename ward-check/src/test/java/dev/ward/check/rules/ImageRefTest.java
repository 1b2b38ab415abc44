package dev.ward.check.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageRefTest {
    @Test
    void dockerHubShortNames() {
        assertThat(ImageRef.parse("nginx")).isEqualTo(new ImageRef("docker.io", "library/nginx", null, null));
        assertThat(ImageRef.parse("nginxinc/nginx-unprivileged:1.23.1"))
                .isEqualTo(new ImageRef("docker.io", "nginxinc/nginx-unprivileged", "1.23.1", null));
    }

    @Test
    void registriesPortsTagsAndDigests() {
        assertThat(ImageRef.parse("registry.local:5000/team/app:2.0@sha256:abc"))
                .isEqualTo(new ImageRef("registry.local:5000", "team/app", "2.0", "sha256:abc"));
        assertThat(ImageRef.parse("238967891447.dkr.ecr.eu-west-2.amazonaws.com/backend-flask"))
                .isEqualTo(new ImageRef("238967891447.dkr.ecr.eu-west-2.amazonaws.com", "backend-flask", null, null));
        assertThat(ImageRef.parse("localhost/app:1").registry()).isEqualTo("localhost");
    }

    @Test
    void floatingTags() {
        assertThat(ImageRef.parse("app").floatingTag()).isTrue();
        assertThat(ImageRef.parse("app:latest").floatingTag()).isTrue();
        assertThat(ImageRef.parse("app:stable-latest").floatingTag()).isTrue();
        assertThat(ImageRef.parse("app:1.0").floatingTag()).isFalse();
        assertThat(ImageRef.parse("app@sha256:abc").floatingTag()).isFalse();
    }
}
