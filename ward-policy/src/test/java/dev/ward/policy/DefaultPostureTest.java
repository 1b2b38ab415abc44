package dev.ward.policy;

import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.file;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Allow rules turn an operation kind into an allow-list; the default posture handles what no rule permits. */
class DefaultPostureTest {
    private static final String ALLOW_APP = policy("allow-app", """
            file:
              matchDirectories:
              - dir: /app/
                recursive: true
            action: Allow
            """);
    private static final String BLOCK_SHADOW = policy("block-shadow", """
            file:
              matchPaths:
              - path: /etc/shadow
            action: Block
            """);
    private static final String AUDIT_PASSWD = policy("audit-passwd", """
            file:
              matchPaths:
              - path: /etc/passwd
            action: Audit
            """);

    @Test
    void withoutAllowRulesNothingUnmatchedIsReported() {
        PolicySet s = compile(BLOCK_SHADOW, "c");
        assertThat(s.allowList(Operation.FILE)).isFalse();
        assertThat(s.file(file("/bin/cat", "/etc/hosts"))).isNull();
    }

    @Test
    void allowedAccessesProduceAnAllowMatchAndNoAlert() {
        PolicySet s = compile(ALLOW_APP, "c");
        Match m = s.file(file("/bin/cat", "/app/x"));
        assertThat(m.action()).isEqualTo(Action.ALLOW);
        assertThat(m.defaultPosture()).isFalse();
    }

    @Test
    void unmatchedAccessesGetTheAuditPostureByDefault() {
        PolicySet s = compile(ALLOW_APP, "c");
        Match m = s.file(file("/bin/cat", "/etc/hosts"));
        assertThat(m.action()).isEqualTo(Action.AUDIT);
        assertThat(m.policyName()).isEqualTo("DefaultPosture");
        assertThat(m.defaultPosture()).isTrue();
        assertThat(m.severity()).isZero();
        assertThat(m.operation()).isEqualTo(Operation.FILE);
    }

    @Test
    void blockPostureBlocksUnmatched() {
        PolicySet s = compile(ALLOW_APP, "c", new Posture(Action.BLOCK, Action.AUDIT, Action.AUDIT));
        assertThat(s.file(file("/bin/cat", "/etc/hosts")).action()).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/app/a/b")))).isEqualTo(Action.ALLOW);
    }

    @Test
    void allowPostureMeansUnmatchedRunsSilently() {
        PolicySet s = compile(ALLOW_APP, "c", new Posture(Action.ALLOW, Action.ALLOW, Action.ALLOW));
        assertThat(s.file(file("/bin/cat", "/etc/hosts"))).isNull();
    }

    @Test
    void anAllowPolicyMakesTheWholeContainerAnAllowList() {
        // KubeArmor: "if at least one security policy's action is Allow, all policies of the container are
        // handled as a whitelist". Block rules still block; audit rules still report; the rest gets the posture.
        PolicySet s = compile(ALLOW_APP + "---\n" + BLOCK_SHADOW + "---\n" + AUDIT_PASSWD, "c",
                new Posture(Action.AUDIT, Action.AUDIT, Action.AUDIT));
        assertThat(s.policyNames()).containsExactly("allow-app", "block-shadow", "audit-passwd");
        assertThat(s.file(file("/bin/cat", "/etc/shadow")).policyName()).isEqualTo("block-shadow");
        Match passwd = s.file(file("/bin/cat", "/etc/passwd"));
        assertThat(passwd.policyName()).isEqualTo("audit-passwd");
        assertThat(passwd.action()).isEqualTo(Action.AUDIT);
        assertThat(s.file(file("/bin/cat", "/etc/group")).policyName()).isEqualTo("DefaultPosture");
    }

    @Test
    void aBlockingPostureIsNotWeakenedByAnAuditRule() {
        PolicySet s = compile(ALLOW_APP + "---\n" + AUDIT_PASSWD, "c",
                new Posture(Action.BLOCK, Action.AUDIT, Action.AUDIT));
        Match m = s.file(file("/bin/cat", "/etc/passwd"));
        assertThat(m.action()).isEqualTo(Action.BLOCK);
        assertThat(m.defaultPosture()).isTrue();
    }

    @Test
    void eachOperationKindIsItsOwnAllowList() {
        PolicySet s = compile(ALLOW_APP, "c", new Posture(Action.BLOCK, Action.BLOCK, Action.BLOCK));
        assertThat(s.allowList(Operation.FILE)).isTrue();
        assertThat(s.allowList(Operation.NETWORK)).isFalse();
        assertThat(s.network(new NetworkRequest().socket(2, 1, 0).source("/bin/x"))).isNull();
        assertThat(s.process(file("/bin/sh", "/bin/ls"))).isNull();
    }

    @Test
    void postureFromEnvironment() {
        assertThat(Posture.fromEnv(Map.of())).isEqualTo(Posture.defaults());
        assertThat(Posture.fromEnv(Map.of("WARD_DEFAULT_POSTURE", "block")))
                .isEqualTo(new Posture(Action.BLOCK, Action.BLOCK, Action.BLOCK));
        assertThat(Posture.fromEnv(Map.of("WARD_DEFAULT_POSTURE", "Block", "WARD_DEFAULT_NETWORK_POSTURE", "audit",
                "WARD_DEFAULT_CAPABILITIES_POSTURE", "ALLOW")))
                .isEqualTo(new Posture(Action.BLOCK, Action.AUDIT, Action.ALLOW));
        assertThat(Posture.fromEnv(Map.of("WARD_DEFAULT_FILE_POSTURE", "deny")).file()).isEqualTo(Action.BLOCK);
        assertThat(Posture.defaults().of(Operation.PROCESS)).isEqualTo(Action.AUDIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Posture.fromEnv(Map.of("WARD_DEFAULT_FILE_POSTURE", "strict")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WARD_DEFAULT_FILE_POSTURE=strict is not a posture (expected block, audit or allow)");
    }
}
