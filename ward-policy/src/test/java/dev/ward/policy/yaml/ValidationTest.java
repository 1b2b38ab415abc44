package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Problem;
import dev.ward.policy.testing.PolicyYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every CRD rule Ward checks, each with the message, the code and the position it reports. */
class ValidationTest {

    private static List<Problem> problems(String yaml) {
        List<Problem> out = new ArrayList<>();
        PolicyParser.parse(yaml, "p.yaml", out);
        return out;
    }

    private static Problem only(String yaml) {
        List<Problem> ps = problems(yaml);
        assertThat(ps).as(ps.toString()).hasSize(1);
        return ps.getFirst();
    }

    private static String policy(String specBody) {
        return PolicyYaml.named("p").container("c").spec(specBody);
    }

    @Test
    void collectsEveryProblemWithItsPosition() {
        String yaml = """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: broken
                spec:
                  severity: 11
                  selector:
                    matchLabels:
                      kubearmor.io/container.name: c
                  file:
                    matchPaths:
                    - path: /etc/
                      readonly: true
                    matchDirectories:
                    - dir: /var/log
                      recursive: "yes"
                  action: block
                """;
        List<Problem> ps = problems(yaml);
        assertThat(ps).extracting(Problem::code, Problem::line, Problem::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple("WP006", 6, 13),
                org.assertj.core.groups.Tuple.tuple("WP005", 17, 11),
                org.assertj.core.groups.Tuple.tuple("WP003", 13, 7),
                org.assertj.core.groups.Tuple.tuple("WP007", 12, 13),
                org.assertj.core.groups.Tuple.tuple("WP007", 15, 12),
                org.assertj.core.groups.Tuple.tuple("WP004", 16, 18));
        assertThat(ps.get(0).message()).isEqualTo("spec.severity is 11 (expected 1 to 10)");
        assertThat(ps.get(1).message())
                .isEqualTo("spec.action \"block\" is not an action (expected Allow, Audit or Block; did you mean Block?)");
        assertThat(ps.get(2).message()).startsWith("unknown field 'readonly' in file.matchPaths[0] (expected "
                + "'readOnly'; one of action, fromSource, message, ownerOnly, path, readOnly, severity, tags)");
        assertThat(ps.get(3).message()).isEqualTo("file.matchPaths[0].path \"/etc/\" is not an absolute file path "
                + "(expected a path that starts with '/' and does not end with '/'; for a directory use "
                + "matchDirectories)");
        assertThat(ps.get(4).message()).isEqualTo("file.matchDirectories[0].dir \"/var/log\" is not an absolute "
                + "directory (expected a path that starts and ends with '/': \"/var/log/\")");
        assertThat(ps.get(5).message())
                .isEqualTo("file.matchDirectories[0].recursive is the string \"yes\" (expected true or false)");
        assertThat(ps.get(5).sourceLine()).isEqualTo("      recursive: \"yes\"");
        assertThat(ps.get(5).format()).isEqualTo("""
                p.yaml:16:18: error[WP004]: file.matchDirectories[0].recursive is the string "yes" (expected true \
                or false)
                      recursive: "yes"
                                 ^""");
    }

    @Test
    void missingKindApiVersionMetadataAndSpec() {
        List<Problem> ps = problems("foo: 1\n");
        assertThat(ps).extracting(Problem::code).containsExactly("WP003", "WP002", "WP002", "WP002", "WP002");
        assertThat(ps.get(1).message()).isEqualTo("missing 'apiVersion' in the document (expected "
                + "security.kubearmor.com/v1)");
        assertThat(ps.get(1).line()).isEqualTo(1);
        assertThat(ps.get(2).message()).isEqualTo("missing 'kind' in the document (expected KubeArmorPolicy)");
    }

    @Test
    void wrongApiVersionAndKind() {
        List<Problem> ps = problems("""
                apiVersion: security.kubearmor.com/v2
                kind: KubeArmorHostPolicy
                metadata: {name: p}
                spec: {selector: {matchLabels: {a: b}}, file: {matchPaths: [{path: /x}]}}
                """);
        assertThat(ps).extracting(Problem::code, Problem::line, Problem::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple("WP015", 1, 13),
                org.assertj.core.groups.Tuple.tuple("WP015", 2, 7));
        assertThat(ps.get(1).message()).isEqualTo("kind \"KubeArmorHostPolicy\" is not supported (expected "
                + "KubeArmorPolicy; host and cluster policies are not for containers)");
    }

    @Test
    void selectorIsRequired() {
        Problem p = only("""
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: p
                spec:
                  file:
                    matchPaths:
                    - path: /etc/shadow
                """);
        assertThat(p.code()).isEqualTo("WP002");
        assertThat(p.message()).isEqualTo("missing 'selector' in spec (expected matchLabels, e.g. "
                + "kubearmor.io/container.name: <name>, or '*')");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.column()).isEqualTo(3);
    }

    @Test
    void metadataNameIsRequiredAndOtherMetadataIsAccepted() {
        Problem p = only("""
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  labels: {team: a}
                  annotations: {x: y}
                spec:
                  selector: {matchLabels: {a: b}}
                  file: {matchPaths: [{path: /x}]}
                """);
        assertThat(p.message()).isEqualTo("missing 'name' in metadata (expected the policy's name)");
        assertThat(p.line()).isEqualTo(4);
    }

    @Test
    void severityMustBeAnIntegerFromOneToTen() {
        assertThat(only(policy("severity: 0\nfile: {matchPaths: [{path: /x}]}")).message())
                .isEqualTo("spec.severity is 0 (expected 1 to 10)");
        Problem p = only(policy("file:\n  severity: \"7\"\n  matchPaths: [{path: /x}]"));
        assertThat(p.code()).isEqualTo("WP004");
        assertThat(p.message()).isEqualTo("file.severity is the string \"7\" (expected an integer from 1 to 10)");
        assertThat(p.line()).isEqualTo(10);
        assertThat(p.column()).isEqualTo(15);
        assertThat(problems(policy("severity: 10\nfile: {matchPaths: [{path: /x, severity: 1}]}"))).isEmpty();
        assertThat(only(policy("file: {matchPaths: [{path: /x, severity: 99999999999999999999}]}")).message())
                .isEqualTo("file.matchPaths[0].severity is 99999999999999999999 (expected 1 to 10)");
    }

    @Test
    void actionsAreTheThreeEnumValues() {
        Problem p = only(policy("file:\n  matchPaths:\n  - path: /x\n    action: Deny"));
        assertThat(p.code()).isEqualTo("WP005");
        assertThat(p.message()).isEqualTo("file.matchPaths[0].action \"Deny\" is not an action (expected Allow, "
                + "Audit or Block)");
        assertThat(p.line()).isEqualTo(12);
        assertThat(p.column()).isEqualTo(15);
    }

    @Test
    void tagsAreAListOfStrings() {
        Problem p = only(policy("tags: MITRE\nfile: {matchPaths: [{path: /x}]}"));
        assertThat(p.message()).isEqualTo("spec.tags is the string \"MITRE\" (expected a list of strings)");
        assertThat(only(policy("tags: [a, 3]\nfile: {matchPaths: [{path: /x}]}")).message())
                .isEqualTo("spec.tags[1] is the integer 3 (expected a string; quote it: \"3\")");
    }

    @Test
    void pathRegexesOfTheCrd() {
        assertThat(only(policy("file: {matchPaths: [{path: etc/shadow}]}")).code()).isEqualTo("WP007");
        assertThat(only(policy("process: {matchDirectories: [{dir: bin/}]}")).message()).isEqualTo(
                "process.matchDirectories[0].dir \"bin/\" is not an absolute directory (expected a path that starts "
                        + "and ends with '/')");
        assertThat(only(policy("process: {matchPaths: [{execname: /bin/ls}]}")).message()).isEqualTo(
                "process.matchPaths[0].execname \"/bin/ls\" is not a file name (expected a name without '/'; for a "
                        + "full path use path)");
        assertThat(only(policy("file: {matchPaths: [{path: /x, fromSource: [{path: /usr/bin/}]}]}")).message())
                .isEqualTo("file.matchPaths[0].fromSource[0].path \"/usr/bin/\" is not an absolute file path "
                        + "(expected a path that starts with '/' and does not end with '/'; for a directory use "
                        + "matchDirectories)");
        String longPath = "/" + "a".repeat(200);
        assertThat(only(policy("file: {matchPaths: [{path: " + longPath + "}]}")).message())
                .isEqualTo("file.matchPaths[0].path is 201 characters long (expected at most 200)");
        assertThat(problems(policy("file: {matchDirectories: [{dir: /}]}"))).isEmpty();
    }

    @Test
    void requiredRuleFields() {
        Problem p = only(policy("file:\n  matchDirectories:\n  - recursive: true"));
        assertThat(p.code()).isEqualTo("WP002");
        assertThat(p.message()).isEqualTo("missing 'dir' in file.matchDirectories[0] (expected an absolute "
                + "directory ending in '/')");
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.column()).isEqualTo(7);
        assertThat(only(policy("network: {matchProtocols: [{fromSource: [{path: /bin/x}]}]}")).message())
                .isEqualTo("missing 'protocol' in network.matchProtocols[0] (expected tcp, udp, icmp, icmpv6, sctp, "
                        + "raw or all)");
    }

    @Test
    void protocolsAndCapabilitiesAreEnums() {
        assertThat(only(policy("network: {matchProtocols: [{protocol: 'tcp,http'}]}")).message()).isEqualTo(
                "network.matchProtocols[0].protocol \"http\" is not a protocol (expected tcp, udp, icmp, icmpv6, "
                        + "sctp, raw, all, or a socket type: stream, dgram, rdm, seqpacket, dccp, packet)");
        assertThat(only(policy("capabilities: {matchCapabilities: [{capability: net_rawx}]}")).code())
                .isEqualTo("WP005");
        assertThat(only(policy("capabilities: {matchCapabilities: [{capability: bpf}]}")).code())
                .isEqualTo("WP005");
        assertThat(problems(policy("capabilities: {matchCapabilities: [{capability: 'CAP_NET_RAW,sys_admin'}]}")))
                .isEmpty();
    }

    @Test
    void syscallNamesAreChecked() {
        Problem p = only(policy("syscalls:\n  matchSyscalls:\n  - syscall: [unlink, unlinkk]"));
        assertThat(p.message()).isEqualTo("syscalls.matchSyscalls[0].syscall[1] \"unlinkk\" is not a Linux x86_64 "
                + "syscall name (expected a name such as unlink, rmdir or openat)");
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.column()).isEqualTo(25);
    }

    @Test
    void selectorExpressions() {
        List<Problem> ps = problems(PolicyYaml.named("p").selector("""
                matchExpressions:
                - key: namespace
                  operator: Within
                  values: [app]
                """).spec("file: {matchPaths: [{path: /x}]}"));
        assertThat(ps).extracting(Problem::code).containsExactly("WP005", "WP005", "WP012");
        assertThat(ps.get(0).message()).isEqualTo("spec.selector.matchExpressions[0].key \"namespace\" is not "
                + "supported (expected label: KubeArmor selects containers by label only)");
        assertThat(ps.get(2).message()).isEqualTo("spec.selector.matchExpressions[0].values[0] \"app\" is not a "
                + "label (expected key=value, e.g. app=nginx)");
    }

    @Test
    void duplicateKeysAreReportedWithBothPlaces() {
        Problem p = only(policy("file:\n  matchPaths: [{path: /x}]\n  matchPaths: [{path: /y}]"));
        assertThat(p.code()).isEqualTo("WP008");
        assertThat(p.message()).isEqualTo("field 'matchPaths' given twice in file (expected each field once; the "
                + "first is at line 10)");
        assertThat(p.line()).isEqualTo(11);
    }

    @Test
    void unsupportedKubeArmorFeaturesAreNamed() {
        Problem p = only(policy("process:\n  matchPaths:\n  - path: /bin/sleep\n    allowedArgs: [\"1\"]"));
        assertThat(p.code()).isEqualTo("WP013");
        assertThat(p.message()).isEqualTo("'allowedArgs' in process.matchPaths[0] is not supported by Ward yet "
                + "(expected the policy without it)");
        assertThat(only(policy("network: {matchDNSQueries: [{domain: a.com}], matchProtocols: [{protocol: tcp}]}"))
                .code()).isEqualTo("WP013");
        assertThat(only(policy("file: {matchPatterns: [{pattern: '/etc/[ab]*'}]}")).code()).isEqualTo("WP013");
    }

    @Test
    void policiesWithoutRules() {
        assertThat(only(policy("severity: 3")).message()).isEqualTo("spec has no rules (expected at least one of "
                + "process, file, network, capabilities, syscalls)");
        assertThat(only(policy("file: {action: Block}")).message()).isEqualTo("file has no rules (expected "
                + "matchPaths, matchDirectories or matchPatterns with at least one entry)");
    }

    @Test
    void patternsMustBeAbsolute() {
        Problem p = only(policy("file: {matchPatterns: [{pattern: '*.pem'}]}"));
        assertThat(p.code()).isEqualTo("WP011");
        assertThat(p.message()).isEqualTo("file.matchPatterns[0].pattern \"*.pem\" is not absolute (expected a glob "
                + "starting with '/', such as /etc/*hado?)");
    }

    @Test
    void conflictsBetweenFields() {
        assertThat(only(policy("process: {matchPaths: [{path: /bin/ls, execname: ls}]}")).code()).isEqualTo("WP016");
        assertThat(only(policy("file: {matchPaths: [{path: /x, fromSource: [{path: /a, dir: /b/}]}]}")).code())
                .isEqualTo("WP016");
        assertThat(problems(policy("file: {matchPaths: [{path: /x, fromSource: [{dir: /b/, recursive: true}]}]}")))
                .isEmpty();
    }

    @Test
    void yamlSyntaxErrorsHaveAPosition() {
        Problem p = only("apiVersion: security.kubearmor.com/v1\nkind: [KubeArmorPolicy\nmetadata: {}\n");
        assertThat(p.code()).isEqualTo("WP001");
        assertThat(p.line()).isGreaterThanOrEqualTo(2);
        assertThat(p.message()).endsWith("(expected valid YAML)");
    }

    @Test
    void aDocumentThatIsNotAMapping() {
        Problem p = only("- a\n- b\n");
        assertThat(p.message()).startsWith("the document is a list (expected a mapping of apiVersion, kind");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.column()).isEqualTo(1);
    }

    @Test
    void wrongTypesSayWhatWasFound() {
        assertThat(only(policy("file: [a]")).message()).startsWith("file is a list (expected a mapping of action, "
                + "matchDirectories, matchPaths, matchPatterns, message, severity, tags)");
        assertThat(only(policy("file: {matchPaths: {path: /x}}")).message())
                .isEqualTo("file.matchPaths is a mapping (expected a list of rules)");
        assertThat(only(policy("file: {matchPaths: [{path: 12}]}")).message())
                .isEqualTo("file.matchPaths[0].path is the integer 12 (expected a string; quote it: \"12\")");
    }
}
