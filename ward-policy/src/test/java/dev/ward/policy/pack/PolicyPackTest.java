package dev.ward.policy.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.policy.Action;
import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.FileTarget;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.model.Effect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped packs stay valid and complete: every file lints clean in Audit and in Block, holds one policy whose
 * every rule carries a severity, a message and MITRE ATT&CK tags, and {@code --block} changes the action and
 * nothing else.
 */
class PolicyPackTest {
    @Test
    void theDefaultPackIsListedAndUnknownPacksAreNamedWithTheKnownOnes() {
        assertThat(PolicyPack.all()).extracting(PolicyPack::name).contains("default");
        assertThat(PolicyPack.named("default").description()).isNotBlank();
        assertThatThrownBy(() -> PolicyPack.named("strict")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no policy pack 'strict' (expected one of: default)");
    }

    @Test
    void everyPolicyLintsCleanAndEveryRuleHasSeverityTagsAndMessageInAudit() throws PolicyException {
        for (PolicyPack pack : PolicyPack.all()) {
            List<KubeArmorPolicy> policies = pack.load(false);
            assertThat(policies).hasSameSizeAs(pack.files(false));
            for (KubeArmorPolicy p : policies) {
                assertThat(p.name()).startsWith("ward-");
                assertThat(p.ruleCount()).as(p.name()).isPositive();
                for (Effect e : effects(p)) {
                    assertThat(e.action()).as(p.name()).isEqualTo(Action.AUDIT);
                    assertThat(e.severity()).as(p.name()).isBetween(1, 10);
                    assertThat(e.message()).as(p.name()).isNotBlank();
                    assertThat(e.tags()).as(p.name()).contains("MITRE");
                    assertThat(e.tags()).as(p.name()).anyMatch(t -> t.matches("T\\d{4}(\\.\\d{3})?"));
                    assertThat(e.tags()).as(p.name()).anyMatch(t -> t.matches("TA\\d{4}"));
                }
            }
        }
    }

    @Test
    void blockTurnsEveryRuleIntoBlockAndChangesNothingElse() throws PolicyException {
        PolicyPack pack = PolicyPack.named("default");
        List<PolicyPack.PackFile> audit = pack.files(false);
        List<PolicyPack.PackFile> block = pack.files(true);
        for (int i = 0; i < audit.size(); i++) {
            String a = audit.get(i).yaml();
            assertThat(a.split(PolicyPack.AUDIT, -1)).as(audit.get(i).fileName() + " has one spec action").hasSize(2);
            assertThat(block.get(i).yaml()).isEqualTo(a.replace("action: Audit", "action: Block"));
        }
        for (KubeArmorPolicy p : pack.load(true)) {
            assertThat(effects(p)).as(p.name()).allMatch(e -> e.action() == Action.BLOCK);
        }
    }

    @Test
    void onlyTheBlockingPackMakesTheAgentIndexTheInodesOfItsDirectories() throws PolicyException {
        PolicyPack pack = PolicyPack.named("default");
        ContainerIdentity web = ContainerIdentity.named("web");
        // Audit rules enforce nothing a hard link could get around; walking /usr/lib/ would slow every start.
        assertThat(PolicySet.compile(pack.load(false), web, Posture.defaults()).targets()).isEmpty();
        assertThat(PolicySet.compile(pack.load(true), web, Posture.defaults()).targets())
                .contains(new FileTarget("/usr/lib/", true, true), new FileTarget("/etc/shadow", false, false));
    }

    @Test
    void positionsNameThePackAndTheFile() throws PolicyException {
        KubeArmorPolicy first = PolicyPack.named("default").load(false).get(0);
        assertThat(first.position().file()).isEqualTo("pack:default/shell-from-runtime.yaml");
    }

    private static List<Effect> effects(KubeArmorPolicy p) {
        List<Effect> out = new ArrayList<>();
        p.process().forEach(r -> out.add(r.effect()));
        p.file().forEach(r -> out.add(r.effect()));
        p.network().forEach(r -> out.add(r.effect()));
        p.capabilities().forEach(r -> out.add(r.effect()));
        p.syscalls().forEach(r -> out.add(r.effect()));
        return out;
    }
}
