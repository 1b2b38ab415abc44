package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: 15 bytes of YAML (a merge key into its own mapping) kept {@code ward run} at 100 % CPU forever, the
 * workload never started and SIGTERM was ignored. Now the agent refuses the policy at its place and exits 2 at
 * once, from WARD_POLICY and from --policy alike.
 */
@Tag("process")
class HostilePolicyTest {
    private static final String MERGE_INTO_ITSELF = "a: &s\n  <<: *s\n";

    @TempDir
    Path dir;

    @Test
    void mergeKeyIntoItsOwnMappingInWardPolicyExitsTwo() throws Exception {
        long start = System.nanoTime();
        var r = AgentProcess.run("--", "true").env("WARD_POLICY", MERGE_INTO_ITSELF).await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("WARD_POLICY:2:7: error[WP017]: merge key <<: *s merges the node anchored &s "
                + "at line 1, column 4, which contains it");
        assertThat(System.nanoTime() - start).as("seconds").isLessThan(30_000_000_000L);
    }

    @Test
    void recursiveAliasInAPolicyFileExitsTwo() throws Exception {
        Path p = Files.writeString(dir.resolve("p.yaml"), "spec: &p {selector: [*p]}\n");
        var r = AgentProcess.run("--policy", p.toString(), "--", "true").await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).startsWith(p + ":1:22: error[WP017]: alias *p refers to the node anchored &p");
    }
}
