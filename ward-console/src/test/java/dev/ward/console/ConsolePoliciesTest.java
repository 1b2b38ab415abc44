package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Problem;
import dev.ward.relay.api.PolicyBundle;
import dev.ward.relay.api.PolicyDocument;
import dev.ward.relay.store.StoredPolicy;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy pages' API against a real relay: lint as ward policy lint, add and delete as ward policy add|delete. */
@Tag("process")
class ConsolePoliciesTest {
    static final String BAD = """
            apiVersion: security.kubearmor.com/v1
            kind: KubeArmorPolicy
            metadata:
              name: bad-one
            spec:
              selector:
                matchLabels:
                  kubearmor.io/container.name: web
              file:
                matchPaths:
                - path: /etc/secret
              action: block
            """;

    @TempDir
    static Path dir;
    static ConsoleRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = ConsoleRelay.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static String good(String name, String container, String path) {
        return """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: %s
                spec:
                  selector:
                    matchLabels:
                      kubearmor.io/container.name: %s
                  file:
                    matchPaths:
                    - path: %s
                  action: Block
                """.formatted(name, container, path);
    }

    static String yamlBody(String yaml) throws Exception {
        return Http.JSON.createObjectNode().put("yaml", yaml).toString();
    }

    @Test
    void lintGivesTheLinesAndColumnsWardPolicyLintGives() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        b.login(ConsoleRelay.READ_TOKEN);
        HttpResponse<String> r = b.send("POST", "/api/policies/lint", yamlBody(BAD));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode problems = Http.JSON.readTree(r.body()).get("problems");
        assertThat(problems).hasSize(1);
        JsonNode p = problems.get(0);
        assertThat(p.get("line").asInt()).isEqualTo(12);
        assertThat(p.get("column").asInt()).isEqualTo(11);
        assertThat(p.get("code").asText()).isEqualTo("WP005");
        assertThat(p.get("severity").asText()).isEqualTo("error");

        Path file = Files.writeString(dir.resolve("bad.yaml"), BAD);
        List<Problem> cli;
        try {
            PolicyLoader.loadAll(List.of(file)); // what ward policy lint runs
            throw new AssertionError("the bad policy passed ward policy lint");
        } catch (PolicyException e) {
            cli = e.problems();
        }
        assertThat(cli).hasSize(1);
        assertThat(p.get("line").asInt()).isEqualTo(cli.getFirst().line());
        assertThat(p.get("column").asInt()).isEqualTo(cli.getFirst().column());
        assertThat(p.get("code").asText()).isEqualTo(cli.getFirst().code());
        assertThat(p.get("message").asText()).isEqualTo(cli.getFirst().message());

        JsonNode ok = Http.JSON.readTree(b.send("POST", "/api/policies/lint", yamlBody(good("g", "web", "/x")))
                .body());
        assertThat(ok.get("problems")).isEmpty();
        assertThat(ok.get("documents").get(0).get("name").asText()).isEqualTo("g");
        assertThat(relay.store.policies()).noneMatch(s -> s.name().equals("g")); // lint never stores
    }

    @Test
    void aPolicyWithAnErrorStoresNothingNotEvenItsGoodNeighbour() throws Exception {
        ConsoleRelay.Browser b = relay.browser();
        b.login(ConsoleRelay.ADMIN_TOKEN);
        HttpResponse<String> r = b.send("PUT", "/api/policies", yamlBody(good("neighbour", "web", "/n") + "---\n"
                + BAD));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(Http.JSON.readTree(r.body()).get("problems").get(0).get("line").asInt()).isEqualTo(25); // 12 lines, ---, then line 12
        assertThat(relay.store.policies()).noneMatch(s -> s.name().equals("neighbour") || s.name().equals("bad-one"));
    }

    @Test
    void addedPoliciesAreListedStoredAndSentDeletedOnesGone() throws Exception {
        try (WireAgent web = relay.agent("web-add")) {
            assertThat(web.nextBundle().getPoliciesList()).noneMatch(d -> d.getName().equals("added"));
            ConsoleRelay.Browser b = relay.browser();
            b.login(ConsoleRelay.ADMIN_TOKEN);
            HttpResponse<String> r = b.send("PUT", "/api/policies", yamlBody(good("added", "web-add", "/secret")));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Http.JSON.readTree(r.body()).get("stored").get(0).get("name").asText()).isEqualTo("added");
            assertThat(relay.store.policy(StoredPolicy.KUBEARMOR, "", "added")).isPresent();
            PolicyBundle sent = web.nextBundle();
            assertThat(sent.getPoliciesList()).extracting(PolicyDocument::getName).contains("added");

            JsonNode list = Http.JSON.readTree(b.get("/api/policies").body()).get("policies");
            JsonNode added = null;
            for (JsonNode p : list) {
                added = p.get("name").asText().equals("added") ? p : added;
            }
            assertThat(added).isNotNull();
            assertThat(added.get("kind").asText()).isEqualTo("KubeArmorPolicy");
            assertThat(added.get("action").asText()).isEqualTo("Block");
            assertThat(added.get("reaches").get(0).asText()).isEqualTo("web-add");
            JsonNode one = Http.JSON.readTree(b.get("/api/policies/KubeArmorPolicy/added").body());
            assertThat(one.get("yaml").asText()).contains("path: /secret");

            assertThat(b.send("DELETE", "/api/policies/KubeArmorPolicy/added", null).statusCode()).isEqualTo(204);
            assertThat(relay.store.policy(StoredPolicy.KUBEARMOR, "", "added")).isEmpty();
            assertThat(web.nextBundle().getPoliciesList()).noneMatch(d -> d.getName().equals("added"));
            assertThat(b.send("DELETE", "/api/policies/KubeArmorPolicy/added", null).statusCode()).isEqualTo(404);
            assertThat(b.get("/api/policies/KubeArmorPolicy/added").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theReadRoleMayLintButNotChange() throws Exception {
        ConsoleRelay.Browser admin = relay.browser();
        admin.login(ConsoleRelay.ADMIN_TOKEN);
        assertThat(admin.send("PUT", "/api/policies", yamlBody(good("kept", "web", "/k"))).statusCode())
                .isEqualTo(200);
        ConsoleRelay.Browser reader = relay.browser();
        reader.login(ConsoleRelay.READ_TOKEN);
        assertThat(reader.send("PUT", "/api/policies", yamlBody(good("sneaky", "web", "/s"))).statusCode())
                .isEqualTo(403);
        assertThat(reader.send("DELETE", "/api/policies/KubeArmorPolicy/kept", null).statusCode()).isEqualTo(403);
        assertThat(relay.store.policy(StoredPolicy.KUBEARMOR, "", "kept")).isPresent();
        assertThat(relay.store.policies()).noneMatch(s -> s.name().equals("sneaky"));
        assertThat(reader.get("/api/policies/KubeArmorPolicy/" + URLEncoder.encode("kept", StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
    }
}
