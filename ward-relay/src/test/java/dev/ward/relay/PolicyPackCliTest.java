package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.pack.PolicyPack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward policy pack list|show|apply}: what they print, the files they write, the policies the relay gets. */
class PolicyPackCliTest {
    @TempDir
    Path dir;

    @Test
    void listNamesEveryPolicyWithSeverityMessageAndTags() {
        var r = NettyRelay.run(new PolicyPackCommand(), Map.of(), "list");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("default: detections for containers");
        assertThat(r.out()).contains("ward-shell-from-runtime", "ward-package-managers", "ward-binary-dir-writes",
                "ward-etc-writes", "ward-credential-files", "ward-recon-tools", "ward-crypto-miners", "ward-raw-sockets");
        assertThat(r.out()).containsPattern("ward-crypto-miners +severity 9 +crypto-miner started +\\[MITRE,T1496,");
    }

    @Test
    void showPrintsTheYamlInAuditOrBlockAndAnUnknownPackIsAUsageError() {
        var audit = NettyRelay.run(new PolicyPackCommand(), Map.of(), "show", "default");
        assertThat(audit.out()).contains("action: Audit", "\n---\n").doesNotContain("action: Block");
        var block = NettyRelay.run(new PolicyPackCommand(), Map.of(), "show", "default", "--block");
        assertThat(block.out()).contains("action: Block").doesNotContain("action: Audit");
        var unknown = NettyRelay.run(new PolicyPackCommand(), Map.of(), "show", "strict");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no policy pack 'strict' (expected one of: default)");
    }

    @Test
    void applyWritesLintCleanFilesAndKeepsAChangedCopyUnlessForced() throws Exception {
        Path out = dir.resolve("policies");
        var r = NettyRelay.run(new PolicyPackCommand(), Map.of(), "apply", "default", "--block", "--dir", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        int files = PolicyPack.named("default").files(true).size();
        assertThat(r.out().lines()).hasSize(files).allMatch(l -> l.startsWith("wrote " + out));
        List<KubeArmorPolicy> loaded = PolicyLoader.load(List.of(out));
        assertThat(loaded).hasSize(files);
        assertThat(Files.readString(out.resolve("recon-tools.yaml"))).contains("action: Block");

        assertThat(NettyRelay.run(new PolicyPackCommand(), Map.of(), "apply", "default", "--block", "--dir",
                out.toString()).exit()).as("the same files again").isZero();
        Path mine = out.resolve("etc-writes.yaml");
        Files.writeString(mine, Files.readString(mine).replace("severity: 5", "severity: 6"));
        var kept = NettyRelay.run(new PolicyPackCommand(), Map.of(), "apply", "default", "--block", "--dir",
                out.toString());
        assertThat(kept.exit()).isEqualTo(1);
        assertThat(kept.err()).contains(mine + " exists with other content", "--force");
        assertThat(Files.readString(mine)).contains("severity: 6");
        var forced = NettyRelay.run(new PolicyPackCommand(), Map.of(), "apply", "default", "--dir", out.toString(),
                "--force");
        assertThat(forced.exit()).isZero();
        assertThat(Files.readString(mine)).contains("severity: 5", "action: Audit");
    }

    @Test
    void applyAddsThePackToTheRelayWhichSendsItToTheAgents() throws Exception {
        try (NettyRelay relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null))) {
            var channel = io.grpc.Grpc.newChannelBuilder(relay.address(), io.grpc.InsecureChannelCredentials.create())
                    .build();
            try {
                var agent = new TestRelay.FakeAgent(channel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello
                        .newBuilder().setAgentId("agent-web").setContainerName("web").build());
                agent.nextBundle();
                var r = NettyRelay.run(new PolicyPackCommand.Apply(), Map.of("WARD_RELAY", relay.address(),
                        "WARD_RELAY_ADMIN_TOKEN", TestRelay.ADMIN_TOKEN), "default");
                assertThat(r.exit()).as(r.err()).isZero();
                assertThat(r.out()).contains("ward-credential-files: Applied (version");
                int files = PolicyPack.named("default").files(false).size();
                var bundle = agent.nextBundle(); // one per policy added, the last with all of them
                while (bundle.getPoliciesCount() < files) {
                    bundle = agent.nextBundle();
                }
                assertThat(bundle.getPoliciesList()).extracting(p -> p.getName()).contains("ward-crypto-miners");
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
