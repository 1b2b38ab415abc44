package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors and warnings of AuthorizationPolicy documents, with their codes and positions. */
class AuthorizationPolicyLintTest {
    static final String HEAD = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: p
              namespace: ecs
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
    void unknownFieldsArePlacedAndSuggested() {
        parse(HEAD + "  rules:\n  - from:\n    - source:\n        principal: [a]\n");
        assertThat(errors).extracting(AuthorizationPolicyLintTest::at).containsExactly("10:9 WP003", "10:9 WP009");
        assertThat(errors.getFirst().message()).startsWith("unknown field 'principal' in spec.rules[0].from[0].source "
                + "(expected 'principals'; one of ipBlocks");
        assertThat(errors.getFirst().format()).contains("\n        principal: [a]\n        ^");
    }

    @Test
    void badCidrsAndPortsArePlaced() {
        parse(HEAD + "  rules:\n  - from:\n    - source:\n        ipBlocks: [10.0.0.0/8, 10.0.0/8, '::1/129']\n"
                + "    to:\n    - operation:\n        ports: ['80', http]\n");
        assertThat(errors).extracting(AuthorizationPolicyLintTest::at)
                .containsExactly("10:32 WP018", "10:42 WP018", "13:23 WP006");
        assertThat(errors.getFirst().message()).isEqualTo("spec.rules[0].from[0].source.ipBlocks[1] \"10.0.0/8\" is "
                + "not an IP address or CIDR (expected an IPv4 or IPv6 address, optionally with /BITS, e.g. "
                + "10.0.0.0/8 or 2001:db8::/32)");
    }

    @Test
    void customActionAndRequestPrincipalsAreNotSupported() {
        parse(HEAD + "  action: CUSTOM\n  provider: {name: ext}\n  rules:\n  - from:\n    - source:\n"
                + "        requestPrincipals: ['*']\n");
        assertThat(errors).extracting(AuthorizationPolicyLintTest::at).containsExactly("7:11 WP013", "12:9 WP013");
        assertThat(errors.getFirst().message()).contains("CUSTOM (external authorization) is not supported");
    }

    @Test
    void unsupportedWhenKeysListTheSupportedOnes() {
        parse(HEAD + "  rules:\n  - when:\n    - key: request.auth.claims[iss]\n      values: [x]\n"
                + "    - key: source.ip\n");
        assertThat(errors).extracting(AuthorizationPolicyLintTest::at).containsExactly("9:12 WP005", "11:7 WP002");
        assertThat(errors.getFirst().message()).isEqualTo("spec.rules[0].when[0].key \"request.auth.claims[iss]\" is "
                + "not supported (expected one of source.ip, source.namespace, source.principal, destination.ip, "
                + "destination.port, request.headers[NAME])");
    }

    @Test
    void headerAndBadValuesOfEnumsAndVersions() {
        parse(HEAD.replace("security.istio.io/v1", "security.istio.io/v2") + "  action: deny\n");
        assertThat(errors).extracting(AuthorizationPolicyLintTest::at).containsExactly("1:13 WP015", "7:11 WP005");
        assertThat(errors.get(1).message()).endsWith("(expected ALLOW, DENY or AUDIT; did you mean DENY?)");
    }

    @Test
    void rulesThatCanNeverMatchAndWildcardPrincipalsAreWarnings() {
        var d = parse(HEAD + "  rules:\n  - from:\n    - source:\n        principals: ['*']\n"
                + "    to:\n    - operation:\n        ports: ['80']\n        notPorts: ['80']\n"
                + "        methods: [get]\n");
        assertThat(errors).isEmpty();
        assertThat(d.authorization()).hasSize(1);
        assertThat(warnings).extracting(AuthorizationPolicyLintTest::at)
                .containsExactlyInAnyOrder("10:21 WP020", "14:19 WP019", "15:19 WP019");
        assertThat(warnings).extracting(Problem::message).anyMatch(m -> m.equals("spec.rules[0].to[0].operation"
                + ".notPorts excludes every value of spec.rules[0].to[0].operation.ports, so this can never match "
                + "(expected notPorts to exclude only part of ports)"));
        assertThat(warnings.getFirst().format("warning")).startsWith("p.yaml:10:21: warning[WP020]: ");
    }

    @Test
    void denyWithWildcardPrincipalsIsNotWarnedAndSchemesAre() {
        parse(HEAD + "  action: DENY\n  rules:\n  - from:\n    - source:\n"
                + "        principals: ['*', 'spiffe://td/ns/a/sa/b']\n");
        assertThat(errors).isEmpty();
        assertThat(warnings).extracting(AuthorizationPolicyLintTest::at).containsExactly("11:27 WP021");
    }

    @Test
    void mixedFilesKeepKubeArmorBehaviour() {
        String kubeArmor = """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata: {name: k}
                spec:
                  selector: {matchLabels: {kubearmor.io/container.name: c}}
                  file: {matchPaths: [{path: /etc/shadow}]}
                  action: Block
                """;
        var d = parse(kubeArmor + "---\n" + HEAD + "  rules:\n  - {}\n---\nkind: Other\n");
        assertThat(d.kubeArmor()).hasSize(1);
        assertThat(d.authorization()).hasSize(1);
        assertThat(errors).extracting(Problem::code).contains("WP015");
    }
}
