package dev.ward.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "nginx,                          registry-1.docker.io, library/nginx,   latest, null",
        "nginx:1.27,                     registry-1.docker.io, library/nginx,   1.27,   null",
        "docker.io/nginx,                registry-1.docker.io, library/nginx,   latest, null",
        "index.docker.io/bitnami/redis:7, registry-1.docker.io, bitnami/redis,  7,      null",
        "bitnami/redis,                  registry-1.docker.io, bitnami/redis,   latest, null",
        "ghcr.io/acme/team/app:v1.2.3,   ghcr.io,              acme/team/app,   v1.2.3, null",
        "localhost/app,                  localhost,            app,             latest, null",
        "localhost:5000/app:dev,         localhost:5000,       app,             dev,    null",
        "127.0.0.1:5000/a/b,             127.0.0.1:5000,       a/b,             latest, null",
        "[::1]:5000/app,                 [::1]:5000,           app,             latest, null",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:3, 123456789012.dkr.ecr.eu-west-1.amazonaws.com, web, 3, null",
        "my_org__x/a-b.c,                registry-1.docker.io, my_org__x/a-b.c, latest, null",
    })
    void parses(String text, String registry, String repository, String tag, String digest) {
        ImageReference r = ImageReference.parse(text);
        assertThat(r).isEqualTo(new ImageReference(registry, repository, tag, digest));
        assertThat(r.reference()).isEqualTo(tag);
    }

    @Test
    void digests() {
        ImageReference r = ImageReference.parse("quay.io/x/y@" + D);
        assertThat(r.tag()).isNull();
        assertThat(r.reference()).isEqualTo(D);
        ImageReference both = ImageReference.parse("quay.io/x/y:1@" + D);
        assertThat(both.tag()).isEqualTo("1");
        assertThat(both.reference()).isEqualTo(D);
        assertThat(both).hasToString("quay.io/x/y:1@" + D);
        assertThat(ImageReference.parse("host:5000/y").hostName()).isEqualTo("host");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''| image reference is empty",
        "Nginx| repository component 'Nginx' must be lowercase",
        "ghcr.io/Acme/app| repository component 'Acme' must be lowercase",
        "nginx:| tag '' is not valid",
        "nginx:-x| tag '-x' is not valid",
        "a//b| repository component '' must be lowercase letters and digits",
        "app@sha256:abc| digest 'sha256:abc' is not sha256: followed by 64 lowercase hex digits",
        "app@md5:0| digest 'md5:0'",
        "ghcr.io/| no repository name",
        "my app| contains whitespace",
        "a_/b| repository component 'a_'",
        "ho_st.io:5000/app| registry 'ho_st.io:5000' is not a host[:port]",
    })
    void rejects(String text, String message) {
        assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.strip())
                .hasMessageContaining("expected [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST]".substring(0, text.isEmpty() ? 0 : 20));
    }

    /** Property: any reference built from valid parts parses back to those parts, and toString round-trips. */
    @Test
    void generatedReferencesRoundTrip() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            String registry = switch (rnd.nextInt(4)) {
                case 0 -> "reg" + rnd.nextInt(100) + ".example.com";
                case 1 -> "localhost:" + (1 + rnd.nextInt(65535));
                case 2 -> "10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ":5000";
                default -> null;
            };
            int n = 1 + rnd.nextInt(3);
            StringBuilder repo = new StringBuilder();
            for (int j = 0; j < n; j++) {
                String c = component(rnd);
                if (j == 0 && registry == null && n > 1) {
                    c = c.replace('.', '-'); // a first component with a dot names a registry, as in docker
                }
                repo.append(j == 0 ? "" : "/").append(c);
            }
            String tag = rnd.nextBoolean() ? tag(rnd) : null;
            String digest = rnd.nextInt(3) == 0 ? "sha256:" + hex(rnd) : null;
            String text = (registry == null ? "" : registry + "/") + repo + (tag == null ? "" : ":" + tag)
                    + (digest == null ? "" : "@" + digest);
            ImageReference r = ImageReference.parse(text);
            String expectedRepo = registry == null && n == 1 ? "library/" + repo : repo.toString();
            assertThat(r.registry()).as(text).isEqualTo(registry == null ? ImageReference.DOCKER_HUB : registry);
            assertThat(r.repository()).as(text).isEqualTo(expectedRepo);
            assertThat(r.tag()).as(text).isEqualTo(tag == null && digest == null ? "latest" : tag);
            assertThat(r.digest()).as(text).isEqualTo(digest);
            assertThat(ImageReference.parse(r.toString())).as(text).isEqualTo(r);
        }
    }

    private static String component(Random rnd) {
        String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        String[] seps = {".", "_", "__", "-", "--"};
        StringBuilder s = new StringBuilder();
        int parts = 1 + rnd.nextInt(3);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                s.append(seps[rnd.nextInt(seps.length)]);
            }
            for (int k = 0, len = 1 + rnd.nextInt(6); k < len; k++) {
                s.append(alnum.charAt(rnd.nextInt(alnum.length())));
            }
        }
        return s.toString();
    }

    private static String tag(Random rnd) {
        String first = "ABCabc0123_";
        String rest = "ABCabc0123_.-";
        StringBuilder s = new StringBuilder().append(first.charAt(rnd.nextInt(first.length())));
        for (int k = 0, len = rnd.nextInt(20); k < len; k++) {
            s.append(rest.charAt(rnd.nextInt(rest.length())));
        }
        return s.toString();
    }

    private static String hex(Random rnd) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 64; k++) {
            s.append("0123456789abcdef".charAt(rnd.nextInt(16)));
        }
        return s.toString();
    }
}
