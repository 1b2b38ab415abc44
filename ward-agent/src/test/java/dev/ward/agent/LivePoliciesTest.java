package dev.ward.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ward.api.Identity;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Posture;
import dev.ward.policy.testing.PolicyYaml;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivePoliciesTest {
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);

    @Test
    void localAndEachOriginsPoliciesAreCompiledTogether() throws Exception {
        LivePolicies live = live(policy("local", "/etc/local"));
        assertEquals(1, live.live().get().set().ruleCount());
        assertEquals(0, live.generation());

        assertEquals(2, live.replace("relay", policy("relay", "/etc/relay")));
        assertEquals(3, live.replace("other", policy("other", "/etc/other")));
        assertEquals(List.of("local", "relay", "other"), live.live().get().set().policyNames());
        assertEquals(2, live.generation());
    }

    @Test
    void anOriginsNewSetReplacesItsOldOneWholly() throws Exception {
        LivePolicies live = live(List.of());
        live.replace("relay", policy("v1", "/etc/one"));
        LiveRules before = live.live().get();

        assertEquals(0, live.replace("relay", List.of()));
        assertTrue(live.live().get().set().policyNames().isEmpty());
        assertEquals(before.set().policyNames(), List.of("v1"), "the old rules object is untouched");
    }

    @Test
    void changedLocalPoliciesKeepTheRemoteOnes() throws Exception {
        LivePolicies live = live(policy("local", "/etc/local"));
        live.replace("relay", policy("relay", "/etc/relay"));

        assertEquals(2, live.replaceLocal(policy("edited", "/etc/edited")));
        assertEquals(List.of("edited", "relay"), live.live().get().set().policyNames());
        assertEquals(List.of("edited"), live.local().stream().map(p -> p.name()).toList());
    }

    @Test
    void rulesTheTrapDoesNotStopAreNamedAndWarnedAboutOnLaterChanges() throws Exception {
        LivePolicies live = live(List.of());
        OperationSet processOnly = OperationSet.parse("--trap", "process");
        assertNull(live.untrapped(processOnly));

        live.replace("relay", policy("files", "/etc/secret"));

        assertEquals("the policies have file rules, but --trap process does not stop those operations",
                live.untrapped(processOnly));
        assertTrue(diagnostics.toString(StandardCharsets.UTF_8).contains(
                "ward: warning: the policies have file rules, but --trap process does not stop those operations;"
                        + " those rules are not enforced"), diagnostics.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstRemoteSetReleasesTheWaitOnlyWhenOneIsExpected() throws Exception {
        LivePolicies live = live(List.of());
        assertFalse(live.remoteExpected());
        assertFalse(live.awaitRemote(), "nothing expected: nothing to wait for");

        live.expectRemote(Duration.ofMillis(10));
        assertTrue(live.remoteExpected());
        assertFalse(live.awaitRemote(), "times out while nothing arrived");

        live.replace("relay", List.of());
        assertTrue(live.awaitRemote());
    }

    @Test
    void theGuardsReferenceIsTheOneThatIsSwapped() throws Exception {
        LivePolicies live = live(List.of());
        var ref = live.live();
        live.replace("relay", policy("relay", "/etc/relay"));
        assertSame(ref, live.live());
        assertEquals(List.of("relay"), ref.get().set().policyNames());
    }

    private LivePolicies live(List<KubeArmorPolicy> local) {
        return new LivePolicies(Identity.of("app", Map.of(), Map.of()), local, Posture.defaults(), err);
    }

    private static List<KubeArmorPolicy> policy(String name, String path) throws Exception {
        return PolicyLoader.parse(PolicyYaml.blockFile(name, "app", path), name + ".yaml");
    }
}
