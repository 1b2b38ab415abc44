package dev.ward.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The task definitions and service of the project's seed documents, and what ward check says about them.
 *
 * <p>seeds/001-*: the Cruddur backend-flask Fargate guide's task definition and create-service input,
 * copied verbatim. seeds/004-*: Lacework's ECS Fargate agent patterns; the seed shows only the container
 * fragments, so each is wrapped in the smallest Fargate task definition (family, awsvpc, FARGATE, cpu,
 * memory, a container named nginx marked essential) and, where the fragment names no image, the image
 * the seed's text says that pattern uses (nginx:1.23.1, nginxinc/nginx-unprivileged:1.23.1).
 */
class SeedFixturesTest {
    private static List<String> findings(String resource) throws IOException {
        String text;
        try (InputStream in = SeedFixturesTest.class.getResourceAsStream("/seeds/" + resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (Finding f : TestChecks.check(resource, text)) {
            out.add(f.rule().id() + " " + (f.container() == null ? "-" : f.container()) + " " + f.loc().path());
        }
        return out;
    }

    /** The findings every seed-004 nginx container has; {@code user} is 003 or 004 depending on the pattern. */
    private static List<String> nginx(String userRule, String... extra) {
        List<String> l = new ArrayList<>(List.of(
                userRule + " nginx $.containerDefinitions[0].user",
                "WARD-ECS-006 nginx $.containerDefinitions[0].readonlyRootFilesystem",
                "WARD-ECS-012 nginx $.containerDefinitions[0].logConfiguration",
                "WARD-ECS-013 nginx $.containerDefinitions[0].healthCheck",
                "WARD-ECS-015 nginx $.containerDefinitions[0].image",
                "WARD-ECS-016 nginx $.containerDefinitions[0].image",
                "WARD-ECS-001 nginx $.containerDefinitions[0].environment[0].name",
                "WARD-ECS-024 nginx $.containerDefinitions[0]"));
        l.addAll(List.of(extra));
        return l;
    }

    private static final List<String> SIDECAR = List.of(
            "WARD-ECS-004 datacollector-sidecar $.containerDefinitions[1].user",
            "WARD-ECS-006 datacollector-sidecar $.containerDefinitions[1].readonlyRootFilesystem",
            "WARD-ECS-012 datacollector-sidecar $.containerDefinitions[1].logConfiguration",
            "WARD-ECS-014 datacollector-sidecar $.containerDefinitions[1].image",
            "WARD-ECS-016 datacollector-sidecar $.containerDefinitions[1].image");

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    @Test
    void cruddurBackendFlaskTaskDefinition() throws IOException {
        // Uses secrets and a log configuration and a health check, but no task role, static AWS keys, no user,
        // a writable root filesystem and an untagged image. The ECR registry is trusted by default.
        assertThat(findings("001-backend-flask-task-definition.json")).containsExactlyInAnyOrder(
                "WARD-ECS-018 - $.taskRoleArn",
                "WARD-ECS-004 backend-flask $.containerDefinitions[0].user",
                "WARD-ECS-006 backend-flask $.containerDefinitions[0].readonlyRootFilesystem",
                "WARD-ECS-014 backend-flask $.containerDefinitions[0].image",
                "WARD-ECS-019 backend-flask $.containerDefinitions[0].secrets[0].name",
                "WARD-ECS-019 backend-flask $.containerDefinitions[0].secrets[1].name",
                "WARD-ECS-024 backend-flask $.containerDefinitions[0]");
    }

    @Test
    void cruddurBackendFlaskService() throws IOException {
        assertThat(findings("001-service-backend-flask.json")).containsExactlyInAnyOrder(
                "WARD-ECS-021 - $.networkConfiguration.awsvpcConfiguration.assignPublicIp",
                "WARD-ECS-022 - $.enableExecuteCommand");
    }

    @Test
    void laceworkRootEmbedded() throws IOException {
        assertThat(findings("004-nginx-root-embedded.json")).containsExactlyInAnyOrderElementsOf(nginx("WARD-ECS-004"));
    }

    @Test
    void laceworkRootSidecar() throws IOException {
        assertThat(findings("004-nginx-root-sidecar.json"))
                .containsExactlyInAnyOrderElementsOf(plus(nginx("WARD-ECS-004"), SIDECAR));
    }

    @Test
    void laceworkNonRootEmbeddedAddsSysPtrace() throws IOException {
        assertThat(findings("004-nginx-nonroot-embedded.json")).containsExactlyInAnyOrderElementsOf(
                nginx("WARD-ECS-004", "WARD-ECS-008 nginx $.containerDefinitions[0].linuxParameters.capabilities.add[0]"));
    }

    @Test
    void laceworkNonRootSidecar() throws IOException {
        assertThat(findings("004-nginx-nonroot-sidecar.json")).containsExactlyInAnyOrderElementsOf(plus(
                nginx("WARD-ECS-004", "WARD-ECS-008 nginx $.containerDefinitions[0].linuxParameters.capabilities.add[0]"),
                SIDECAR));
    }

    @Test
    void laceworkNonRootRunAsRootSidecar() throws IOException {
        assertThat(findings("004-nginx-nonrootasroot-sidecar.json"))
                .containsExactlyInAnyOrderElementsOf(plus(nginx("WARD-ECS-003"), SIDECAR));
    }
}
