package dev.ward.policy;

import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.file;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** severity, tags, message and action: rule, else block, else spec; the spec's action defaults to Block. */
class InheritanceTest {
    private static final String POLICY = policy("p", """
            severity: 2
            tags: [SPEC]
            message: from spec
            action: Audit
            file:
              severity: 5
              tags: [BLOCK]
              action: Block
              matchPaths:
              - path: /a
              - path: /b
                severity: 9
                tags: [RULE]
                message: from rule
                action: Allow
              - path: /c
                tags: []
                message: ""
            process:
              matchPaths:
              - path: /bin/p
            """);

    @Test
    void ruleBlockSpecOrder() {
        PolicySet s = compile(POLICY, "c");
        Match a = s.file(file("/x", "/a"));
        assertThat(a.action()).isEqualTo(Action.BLOCK);
        assertThat(a.severity()).isEqualTo(5);
        assertThat(a.tags()).containsExactly("BLOCK");
        assertThat(a.message()).isEqualTo("from spec");

        Match b = s.file(file("/x", "/b"));
        assertThat(b.action()).isEqualTo(Action.ALLOW);
        assertThat(b.severity()).isEqualTo(9);
        assertThat(b.tags()).containsExactly("RULE");
        assertThat(b.message()).isEqualTo("from rule");

        Match c = s.file(file("/x", "/c"));
        assertThat(c.tags()).as("empty tags inherit").containsExactly("BLOCK");
        assertThat(c.message()).as("empty message inherits").isEqualTo("from spec");

        Match p = s.process(file("/x", "/bin/p"));
        assertThat(p.action()).isEqualTo(Action.AUDIT);
        assertThat(p.severity()).isEqualTo(2);
        assertThat(p.tags()).containsExactly("SPEC");
    }

    @Test
    void defaultsWhenNothingIsSet() throws PolicyException {
        String yaml = policy("p", "file: {matchPaths: [{path: /a}]}");
        assertThat(PolicyLoader.parse(yaml, "t").getFirst().action()).isEqualTo(Action.BLOCK);
        Match m = compile(yaml, "c").file(file("/x", "/a"));
        assertThat(m.action()).isEqualTo(Action.BLOCK);
        assertThat(m.severity()).isZero();
        assertThat(m.tags()).isEmpty();
        assertThat(m.message()).isEmpty();
        assertThat(m.policyName()).isEqualTo("p");
    }
}
