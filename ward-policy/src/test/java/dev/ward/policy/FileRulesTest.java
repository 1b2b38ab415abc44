package dev.ward.policy;

import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.file;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** file: matchPaths, matchDirectories (recursive or not), matchPatterns, readOnly, ownerOnly, fromSource. */
class FileRulesTest {

    private static PolicySet set(String specBody) {
        return compile(policy("p", specBody), "c");
    }

    @Test
    void matchPathsMatchesExactlyThatPath() {
        PolicySet s = set("file: {matchPaths: [{path: /etc/shadow}]}\naction: Block");
        assertThat(action(s.file(file("/bin/cat", "/etc/shadow")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/etc/shadow-"))).isNull();
        assertThat(s.file(file("/bin/cat", "/etc/shado"))).isNull();
        assertThat(s.file(file("/bin/cat", "/etc/shadow/x"))).isNull();
        assertThat(s.file(file("/bin/cat", "/etc"))).isNull();
    }

    @Test
    void rulePathsAreNormalised() {
        PolicySet s = set("file: {matchPaths: [{path: //etc/./x/../shadow}]}");
        assertThat(action(s.file(file("/bin/cat", "/etc/shadow")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void matchDirectoriesCoversDirectEntriesAndTheDirectoryItself() {
        PolicySet s = set("file: {matchDirectories: [{dir: /var/secret/}]}");
        assertThat(action(s.file(file("/bin/cat", "/var/secret/a")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/ls", "/var/secret")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/var/secret/sub/a"))).isNull();
        assertThat(s.file(file("/bin/cat", "/var/secretx"))).isNull();
        assertThat(s.file(file("/bin/cat", "/var"))).isNull();
    }

    @Test
    void recursiveDirectoriesCoverEverythingBelow() {
        PolicySet s = set("file: {matchDirectories: [{dir: /var/secret/, recursive: true}]}");
        assertThat(action(s.file(file("/bin/cat", "/var/secret/a/b/c/d")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/var/secret/a")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/var/secrets/a"))).isNull();
    }

    @Test
    void theRootDirectory() {
        PolicySet s = set("file: {matchDirectories: [{dir: /, recursive: true}]}\naction: Audit");
        assertThat(action(s.file(file("/bin/cat", "/a/b")))).isEqualTo(Action.AUDIT);
        assertThat(action(s.file(file("/bin/ls", "/")))).isEqualTo(Action.AUDIT);
        PolicySet flat = set("file: {matchDirectories: [{dir: /}]}\naction: Audit");
        assertThat(action(flat.file(file("/bin/cat", "/a")))).isEqualTo(Action.AUDIT);
        assertThat(flat.file(file("/bin/cat", "/a/b"))).isNull();
    }

    @Test
    void blockOneDirectoryRecursivelyAndAuditAnother() {
        PolicySet s = set("""
                file:
                  matchDirectories:
                  - dir: /data/private/
                    recursive: true
                    action: Block
                  - dir: /data/shared/
                    recursive: true
                    action: Audit
                """);
        assertThat(action(s.file(file("/bin/cat", "/data/private/x/y")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/data/shared/x/y")))).isEqualTo(Action.AUDIT);
        assertThat(s.file(file("/bin/cat", "/data/other"))).isNull();
    }

    @Test
    void patternsWithStarAndQuestionMark() {
        PolicySet s = set("file: {matchPatterns: [{pattern: /etc/*hado?}]}");
        assertThat(action(s.file(file("/bin/cat", "/etc/shadow")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/etc/gshadow")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/etc/hadow")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/etc/shadow-"))).isNull();
        assertThat(s.file(file("/bin/cat", "/etc/x/shadow"))).isNull();
    }

    @Test
    void patternsWithDoubleStar() {
        PolicySet s = set("file: {matchPatterns: [{pattern: /home/**/.ssh/*}]}");
        assertThat(action(s.file(file("/bin/cat", "/home/a/.ssh/id_rsa")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/home/a/b/c/.ssh/id_rsa")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/home/.ssh/id_rsa")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/home/a/.ssh/keys/id_rsa"))).isNull();
        assertThat(s.file(file("/bin/cat", "/root/.ssh/id_rsa"))).isNull();
    }

    @Test
    void wildcardsInMatchPathsAreGlobs() {
        PolicySet s = set("file: {matchPaths: [{path: /root/*_history, fromSource: [{path: /bin/rm}]}]}");
        assertThat(action(s.file(file("/bin/rm", "/root/.bash_history")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/root/.bash_history"))).isNull();
    }

    @Test
    void readOnlyLetsReadsThroughAndStopsWrites() {
        PolicySet s = set("file: {matchPaths: [{path: /app/config.yaml, readOnly: true}]}");
        assertThat(s.file(file("/bin/cat", "/app/config.yaml"))).isNull();
        Match w = s.file(file("/bin/sh", "/app/config.yaml").write(true));
        assertThat(w.action()).isEqualTo(Action.BLOCK);
    }

    @Test
    void readOnlyAuditReportsOnlyWrites() {
        PolicySet s = set("file: {matchDirectories: [{dir: /logs/, readOnly: true, action: Audit}]}");
        assertThat(s.file(file("/bin/cat", "/logs/a"))).isNull();
        assertThat(action(s.file(file("/bin/sh", "/logs/a").write(true)))).isEqualTo(Action.AUDIT);
    }

    @Test
    void readOnlyAllowPermitsReadsAndBlocksWritesWhateverThePosture() {
        PolicySet s = set("file: {matchDirectories: [{dir: /srv/, recursive: true, readOnly: true}]}\naction: Allow");
        assertThat(action(s.file(file("/bin/cat", "/srv/index.html")))).isEqualTo(Action.ALLOW);
        Match w = s.file(file("/bin/sh", "/srv/index.html").write(true));
        assertThat(w.action()).isEqualTo(Action.BLOCK);
        assertThat(w.policyName()).isEqualTo("p");
        assertThat(w.defaultPosture()).isFalse();
    }

    @Test
    void ownerOnlyAllowsTheOwnerOnly() {
        PolicySet s = set("file: {matchPaths: [{path: /home/user1/secret, ownerOnly: true}]}");
        assertThat(s.file(file("/bin/cat", "/home/user1/secret").owner(1000, 1000))).isNull();
        assertThat(action(s.file(file("/bin/cat", "/home/user1/secret").owner(1001, 1000))))
                .isEqualTo(Action.BLOCK);
        // Root is not the owner either: KubeArmor compares the uid, not privileges.
        assertThat(action(s.file(file("/bin/cat", "/home/user1/secret").owner(0, 1000)))).isEqualTo(Action.BLOCK);
        // Unknown uids fail closed.
        assertThat(action(s.file(file("/bin/cat", "/home/user1/secret")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/home/user1/secret").owner(1000, -1)))).isEqualTo(Action.BLOCK);
    }

    @Test
    void ownerOnlyAndReadOnlyTogether() {
        PolicySet s = set("file: {matchPaths: [{path: /f, ownerOnly: true, readOnly: true}]}");
        assertThat(s.file(file("/bin/cat", "/f").owner(5, 5))).isNull();
        assertThat(action(s.file(file("/bin/cat", "/f").owner(5, 5).write(true)))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/f").owner(6, 5)))).isEqualTo(Action.BLOCK);
    }

    @Test
    void fromSourcePathLimitsTheRuleToThatExecutable() {
        PolicySet s = set("file: {matchPaths: [{path: /etc/shadow, fromSource: [{path: /usr/bin/cat}]}]}");
        assertThat(action(s.file(file("/usr/bin/cat", "/etc/shadow")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/usr/bin/head", "/etc/shadow"))).isNull();
        assertThat(s.file(file("/usr/bin/catx", "/etc/shadow"))).isNull();
        // No source known: source-scoped rules cannot apply.
        assertThat(s.file(new FileRequest().path("/etc/shadow"))).isNull();
    }

    @Test
    void fromSourceDirectories() {
        PolicySet s = set("""
                file:
                  matchPaths:
                  - path: /etc/shadow
                    fromSource:
                    - dir: /opt/tools/
                  - path: /etc/gshadow
                    fromSource:
                    - dir: /opt/
                      recursive: true
                """);
        assertThat(action(s.file(file("/opt/tools/x", "/etc/shadow")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/opt/tools/sub/x", "/etc/shadow"))).isNull();
        assertThat(action(s.file(file("/opt/a/b/c", "/etc/gshadow")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/usr/bin/c", "/etc/gshadow"))).isNull();
    }

    @Test
    void sourceRulesOverrideRulesWithoutSource() {
        PolicySet s = set("""
                file:
                  matchDirectories:
                  - dir: /secrets/
                    recursive: true
                    action: Block
                  - dir: /secrets/
                    recursive: true
                    action: Allow
                    fromSource: [{path: /app/server}]
                """);
        assertThat(action(s.file(file("/app/server", "/secrets/db")))).isEqualTo(Action.ALLOW);
        assertThat(action(s.file(file("/bin/cat", "/secrets/db")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void theMostSpecificRuleDecides() {
        PolicySet s = set("""
                file:
                  matchDirectories:
                  - dir: /etc/
                    recursive: true
                    action: Block
                  - dir: /etc/app/
                    recursive: true
                    action: Allow
                  matchPaths:
                  - path: /etc/app/key
                    action: Block
                  matchPatterns:
                  - pattern: /etc/app/*.conf
                    action: Audit
                """);
        assertThat(action(s.file(file("/bin/cat", "/etc/passwd")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/etc/app/x/y")))).isEqualTo(Action.ALLOW);
        assertThat(action(s.file(file("/bin/cat", "/etc/app/key")))).isEqualTo(Action.BLOCK);
        // Audit never weakens: the access is allowed by the directory rule and reported by the pattern.
        assertThat(action(s.file(file("/bin/cat", "/etc/app/a.conf")))).isEqualTo(Action.AUDIT);
    }

    @Test
    void blockWinsOverAllowAtEqualSpecificity() {
        String blockThenAllow = """
                file:
                  matchPaths:
                  - {path: /x, action: Block}
                  - {path: /x, action: Allow}
                """;
        String allowThenBlock = """
                file:
                  matchPaths:
                  - {path: /x, action: Allow}
                  - {path: /x, action: Block}
                """;
        assertThat(action(set(blockThenAllow).file(file("/a", "/x")))).isEqualTo(Action.BLOCK);
        assertThat(action(set(allowThenBlock).file(file("/a", "/x")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void auditDoesNotHideABlock() {
        PolicySet s = set("""
                file:
                  matchDirectories:
                  - {dir: /etc/, recursive: true, action: Block}
                  matchPaths:
                  - {path: /etc/passwd, action: Audit}
                """);
        assertThat(action(s.file(file("/bin/cat", "/etc/passwd")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void relativeOrEmptyPathsMatchNothing() {
        PolicySet s = set("file: {matchDirectories: [{dir: /, recursive: true}]}");
        assertThat(s.file(file("/bin/cat", "etc/passwd"))).isNull();
        assertThat(s.file(new FileRequest().source("/bin/cat"))).isNull();
    }

    @Test
    void nonAsciiPaths() {
        PolicySet s = set("file: {matchPatterns: [{pattern: /data/r?sum?.txt}]}");
        assertThat(action(s.file(file("/bin/cat", "/data/résumé.txt")))).isEqualTo(Action.BLOCK);
        PolicySet exact = set("file: {matchPaths: [{path: /données/clé}]}");
        assertThat(action(exact.file(file("/bin/cat", "/données/clé")))).isEqualTo(Action.BLOCK);
    }

    @Test
    void manyGlobsUnderOneDirectoryAreIndexedByTheirLiteralTail() {
        StringBuilder body = new StringBuilder("file:\n  matchPatterns:\n");
        for (int i = 0; i < 300; i++) {
            body.append("  - {pattern: '/home/*/.ssh/id_").append(i).append(".pub'}\n");
        }
        body.append("  - {pattern: '/home/*/notes*', action: Audit}\n");
        body.append("  - {pattern: '/home/*/caf\u00e9'}\n");
        body.append("  - {pattern: /home/**/x}\n");
        PolicySet s = set(body.toString());
        assertThat(action(s.file(file("/bin/cat", "/home/a/.ssh/id_299.pub")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/home/a/.ssh/id_7.pub")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/home/a/.ssh/id_300.pub"))).isNull();
        assertThat(action(s.file(file("/bin/cat", "/home/a/notes.txt")))).isEqualTo(Action.AUDIT);
        assertThat(action(s.file(file("/bin/cat", "/home/b/caf\u00e9")))).isEqualTo(Action.BLOCK);
        assertThat(action(s.file(file("/bin/cat", "/home/b/c/d/x")))).isEqualTo(Action.BLOCK);
        assertThat(s.file(file("/bin/cat", "/home/b/cafe"))).isNull();
    }
}
