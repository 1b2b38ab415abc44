package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.bindings.Arch;
import dev.ward.policy.testing.PolicyYaml;
import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capabilities rules (operations that need a capability) and syscalls rules (audit), for real. */
@Tag("process")
class CapabilitiesTest {
    @TempDir
    Path dir;

    private AgentProcess.Result run(String rules, String... workload) throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), PolicyYaml.named("caps").container("app").spec(rules));
        String[] args = new String[workload.length + 5];
        args[0] = "--container-name";
        args[1] = "app";
        args[2] = "--policy";
        args[3] = policy.toString();
        args[4] = "--";
        System.arraycopy(workload, 0, args, 5, workload.length);
        args[5] = CPrograms.get("privileged").toString();
        return AgentProcess.run(args).await(dir);
    }

    @Test
    void blockedCapabilityDeniesChownAndRawSockets() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        var r = run("""
                capabilities:
                  matchCapabilities:
                  - capability: chown
                  - capability: net_raw
                action: Block
                """, "privileged", "chown", f.toString(), "rawsocket");
        assertThat(r.stdout()).as(r.stderr()).contains("chown errno=13").contains("rawsocket errno=13");
        assertThat(r.alerts()).extracting(a -> a.get("Resource").asText()).contains("CAP_CHOWN", "CAP_NET_RAW");
        assertThat(r.alerts()).allSatisfy(a -> {
            assertThat(a.get("Operation").asText()).isEqualTo("Capabilities");
            assertThat(a.get("Action").asText()).isEqualTo("Block");
        });
    }

    @Test
    void syscallRulesAuditAndLetTheCallRun() throws Exception {
        Path f = Files.writeString(dir.resolve("gone"), "x");
        // A syscalls rule names the call the C library makes: unlink(3) is unlinkat on aarch64, which has no unlink.
        String call = Arch.CURRENT.nr("unlink") >= 0 ? "unlink" : "unlinkat";
        var r = run("""
                syscalls:
                  matchSyscalls:
                  - syscall: [%s]
                """.formatted(call), "privileged", "unlink", f.toString());
        assertThat(r.stdout()).as(r.stderr()).contains("unlink ok");
        assertThat(f).doesNotExist();
        JsonNode a = r.alerts().get(0);
        assertThat(a.get("Action").asText()).isEqualTo("Audit");
        assertThat(a.get("Result").asText()).isEqualTo("Passed");
        assertThat(a.get("PolicyName").asText()).isEqualTo("caps");
    }
}
