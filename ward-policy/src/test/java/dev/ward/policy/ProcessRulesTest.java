package dev.ward.policy;

import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.file;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** process: exec decisions, with the binary as path and the calling exe as source. */
class ProcessRulesTest {

    private static PolicySet set(String specBody) {
        return compile(policy("p", specBody), "c");
    }

    @Test
    void blockLsOnlyFromDash() {
        PolicySet s = set("process: {matchPaths: [{path: /bin/ls, fromSource: [{path: /bin/dash}]}]}\naction: Block");
        assertThat(action(s.process(file("/bin/dash", "/bin/ls")))).isEqualTo(Action.BLOCK);
        assertThat(s.process(file("/bin/bash", "/bin/ls"))).isNull();
        assertThat(s.process(file("/bin/dash", "/bin/cat"))).isNull();
    }

    @Test
    void allowOnlyFromSourceMeansOtherSourcesGetThePosture() {
        // The specification's example: only /bin/bash may run /bin/sleep.
        PolicySet s = compile(policy("p", "process: {matchPaths: [{path: /bin/sleep, fromSource: [{path: /bin/bash}]}]}"
                + "\naction: Allow"), "c", new Posture(Action.BLOCK, Action.AUDIT, Action.AUDIT));
        assertThat(action(s.process(file("/bin/bash", "/bin/sleep")))).isEqualTo(Action.ALLOW);
        Match other = s.process(file("/bin/zsh", "/bin/sleep"));
        assertThat(other.action()).isEqualTo(Action.BLOCK);
        assertThat(other.defaultPosture()).isTrue();
        assertThat(other.operation()).isEqualTo(Operation.PROCESS);
    }

    @Test
    void directoriesAndPatterns() {
        PolicySet s = set("""
                process:
                  matchDirectories:
                  - dir: /sbin/
                    recursive: true
                  matchPatterns:
                  - pattern: /usr/bin/*sh
                """);
        assertThat(action(s.process(file("/init", "/sbin/x/y")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.process(file("/init", "/usr/bin/bash")))).isEqualTo(Action.BLOCK);
        assertThat(s.process(file("/init", "/usr/bin/shx"))).isNull();
    }

    @Test
    void execNameMatchesTheFileNameAnywhere() {
        PolicySet s = set("process: {matchPaths: [{execname: nc}]}");
        assertThat(action(s.process(file("/bin/sh", "/usr/bin/nc")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.process(file("/bin/sh", "/tmp/x/nc")))).isEqualTo(Action.BLOCK);
        assertThat(s.process(file("/bin/sh", "/usr/bin/ncat"))).isNull();
    }

    @Test
    void ownerOnlyExecution() {
        PolicySet s = set("process: {matchDirectories: [{dir: /home/app/bin/, ownerOnly: true}]}");
        assertThat(s.process(file("/bin/sh", "/home/app/bin/run").owner(100, 100))).isNull();
        assertThat(action(s.process(file("/bin/sh", "/home/app/bin/run").owner(0, 100)))).isEqualTo(Action.BLOCK);
    }

    @Test
    void processRulesDoNotAffectFileDecisions() {
        PolicySet s = set("process: {matchPaths: [{path: /bin/ls}]}");
        assertThat(s.file(file("/bin/sh", "/bin/ls"))).isNull();
        assertThat(action(s.process(file("/bin/sh", "/bin/ls")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void processAllowListUsesTheFilePosture() {
        PolicySet s = compile(policy("p", "process: {matchPaths: [{path: /app/server}]}\naction: Allow"), "c",
                new Posture(Action.BLOCK, Action.AUDIT, Action.AUDIT));
        assertThat(s.allowList(Operation.PROCESS)).isTrue();
        assertThat(s.allowList(Operation.FILE)).isFalse();
        assertThat(s.process(file("/init", "/bin/sh")).action()).isEqualTo(Action.BLOCK);
        // File accesses are not an allow-list: a process Allow rule does not restrict files.
        assertThat(s.file(file("/bin/sh", "/etc/passwd"))).isNull();
    }
}
