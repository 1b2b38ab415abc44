package dev.ward.relay;

import dev.ward.policy.PolicyLoader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.Fuzz;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ward policy add} sends the relay, mutated: {@link PolicyRegistry#parse} (the whole text, then the
 * split documents) always answers, with the policies to store or an Invalid result whose problems have places.
 * Issue 21's merge key, which left a relay thread spinning with the registry's lock held, is kept as a regression,
 * and parsing must not need that lock.
 */
class PolicyAddFuzzTest {
    private static final long SEED = 20261205;
    private static final int CASES = 800;

    @TempDir
    Path dir;

    @Test
    void mutatedPoliciesAreStoredOrInvalidWithPlaces() {
        List<String> seeds = new ArrayList<>(Fuzz.policySeeds());
        // Multi-document requests exercise the relay's own split at "---" lines.
        seeds.add(seeds.get(0) + "\n---\n" + seeds.get(2) + "\n---\n" + seeds.get(5));
        Random r = new Random(SEED);
        int invalid = 0;
        for (int i = 0; i < CASES; i++) {
            String input = Fuzz.mutate(seeds.get(r.nextInt(seeds.size())), r);
            invalid += parse("case " + i, input) ? 1 : 0;
        }
        assertThat(invalid).isBetween(CASES / 10, CASES * 9 / 10);
    }

    @Test
    void mergeKeyIntoItsOwnMappingIsInvalidAtTheAlias() {
        PolicyParsing.Parsed p = Fuzz.bounded("merge key", "a: &s\n  <<: *s\n", Fuzz.PER_INPUT,
                () -> PolicyParsing.parse(PolicyLoader::parseAll, "a: &s\n  <<: *s\n", "add.yaml"));
        assertThat(p.invalid().getStatus()).isEqualTo(PolicyStatus.Invalid);
        assertThat(p.invalid().getMessage()).startsWith("add.yaml:2:7: error[WP017]: merge key <<: *s merges");
    }

    /** Parses one request; true when it is Invalid. */
    private static boolean parse(String label, String input) {
        PolicyParsing.Parsed p = Fuzz.bounded(label, input, Fuzz.PER_INPUT, () -> PolicyParsing.parse(PolicyLoader::parseAll,
                input, "fuzz.yaml"));
        if (p.invalid() == null) {
            assertThat(p.entries()).as(label).isNotEmpty();
            p.entries().forEach(e -> assertThat(e.stored().yaml()).as(label).isNotBlank());
            return false;
        }
        String m = p.invalid().getMessage();
        assertThat(m).as(label).startsWith("fuzz.yaml");
        // Problems with the text itself always have a line and column.
        for (String line : m.split("\n")) {
            if (line.contains("error[WP001]") || line.contains("error[WP017]")) {
                assertThat(line).as(label + ":\n" + m).matches("fuzz\\.yaml:\\d+:\\d+: error\\[WP0(01|17)].*");
            }
        }
        return true;
    }
}
