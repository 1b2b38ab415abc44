package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What egress AuthorizationPolicies may not say, and source.process in inbound ones, placed on the field. */
class EgressLintTest {
    static final String HEAD = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: p
              namespace: ecs
              annotations:
                ward.dev/direction: egress
            spec:
            """;

    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    private PolicyDocuments.Parsed parse(String text) {
        return PolicyDocuments.parse(text, "p.yaml", errors, warnings);
    }

    private static String at(Problem p) {
        return p.line() + ":" + p.column() + " " + p.code();
    }

    @Test
    void aValidEgressPolicyParses() {
        PolicyDocuments.Parsed d = parse(HEAD + "  rules:\n  - to:\n    - operation: {hosts: [api.stripe.com], "
                + "ports: ['443']}\n    when:\n    - key: source.process\n      values: [java, /usr/bin/curl]\n"
                + "    - key: destination.ip\n      values: [203.0.113.0/24]\n");
        assertThat(errors).extracting(Problem::format).isEmpty();
        assertThat(d.authorization()).singleElement().satisfies(p -> assertThat(p.egress()).isTrue());
        assertThat(parse(HEAD.replace("egress", "inbound") + "  {}\n").authorization().getFirst().egress())
                .isFalse();
    }

    @Test
    void fromMethodsPathsAndSourceKeysAreErrorsOnTheirField() {
        parse(HEAD + "  rules:\n  - from:\n    - source: {principals: [a/ns/b/sa/c]}\n    to:\n"
                + "    - operation: {methods: [GET], paths: [/x], hosts: ['api.stripe.com:443']}\n    when:\n"
                + "    - key: source.namespace\n      values: [ecs]\n    - key: request.headers[x-a]\n"
                + "      values: [b]\n");
        assertThat(errors).extracting(EgressLintTest::at).containsExactly("10:5 WP022", "13:19 WP022",
                "13:35 WP022", "13:56 WP022", "15:12 WP022", "17:12 WP022");
        assertThat(errors.getFirst().message()).isEqualTo("spec.rules[0].from does not apply to an egress policy: "
                + "the source is the workload the policy selects (expected to and when only; source.process for "
                + "the process)");
        assertThat(errors.get(3).message()).contains("\"api.stripe.com:443\" has a port");
        assertThat(errors.get(4).message()).isEqualTo("spec.rules[0].when[0].key source.namespace does not "
                + "apply to an egress policy (expected one of destination.ip, destination.port, source.process)");
        assertThat(errors.getFirst().format()).startsWith("p.yaml:10:5: error[WP022]");
    }

    @Test
    void sourceProcessIsForEgressOnlyAndTakesPathsOrNames() {
        parse(HEAD + "  rules:\n  - when:\n    - key: source.process\n      values: ['/usr/bin/*', 'bin/java', '']\n");
        assertThat(errors).extracting(EgressLintTest::at).containsExactly("12:16 WP007", "12:30 WP007",
                "12:42 WP007");
        errors.clear();
        parse(HEAD.replace("  annotations:\n    ward.dev/direction: egress\n", "")
                + "  rules:\n  - when:\n    - key: source.process\n      values: [java]\n");
        assertThat(errors).extracting(EgressLintTest::at).containsExactly("9:12 WP022");
        assertThat(errors.getFirst().message()).contains("applies to egress policies only");
    }

    @Test
    void aBadDirectionAndAnUnknownKeyAreNamed() {
        parse(HEAD.replace("direction: egress", "direction: outbound") + "  {}\n");
        assertThat(errors).extracting(EgressLintTest::at).containsExactly("7:25 WP005");
        assertThat(errors.getFirst().message()).isEqualTo("annotation ward.dev/direction is \"outbound\" (expected "
                + "\"inbound\" or \"egress\")");
        errors.clear();
        parse(HEAD + "  rules:\n  - when:\n    - key: destination.host\n      values: [x]\n");
        assertThat(errors.getFirst().message()).endsWith("(expected one of destination.ip, destination.port, "
                + "source.process)");
    }
}
