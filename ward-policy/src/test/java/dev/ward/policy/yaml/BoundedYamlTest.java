package dev.ward.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.policy.testing.Fuzz;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.ParserException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The limits every YAML reader shares: each hostile input is refused with the place to look, within the time and
 * stack the launcher gives; inputs just inside a limit still read.
 */
class BoundedYamlTest {
    private static final LoadSettings SETTINGS = BoundedYaml.settings("t.yaml").build();

    /** Issue 21: 15 bytes that looped forever in snakeyaml's merge-key flattening. */
    @Test
    void mergeKeyIntoItsOwnMappingIsRefusedAtTheAlias() {
        YamlLimitException e = refused("a: &s\n  <<: *s\n");
        assertAt(e, 2, 7);
        assertThat(e.getProblem()).isEqualTo("merge key <<: *s merges the node anchored &s at line 1, column 4, which "
                + "contains it: a recursive structure (expected an alias to a node that ends before the alias)");
    }

    /** Issue 21: the template that overflowed the stack of ward inject. */
    @Test
    void recursiveAliasIsRefusedAtTheAlias() {
        YamlLimitException e = refused("Resources: {T: {Type: \"AWS::ECS::TaskDefinition\", "
                + "Properties: &p {ContainerDefinitions: [*p]}}}");
        assertAt(e, 1, 90);
        assertThat(e.getProblem()).startsWith("alias *p refers to the node anchored &p at line 1, column 63");
    }

    @Test
    void mergeKeysAndAliasesToCompleteNodesStillWork() {
        List<Node> docs = all("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\nl: [*b, *b]\n");
        MappingNode d = (MappingNode) ((MappingNode) docs.getFirst()).getValue().get(1).getValueNode();
        assertThat(d.getValue()).extracting(t -> ((ScalarNode) t.getKeyNode()).getValue()).containsExactly("y", "x");
    }

    @Test
    void anAnchorDefinedAgainInsideNamesTheInnerNode() {
        assertThat(all("a: &x [&x 1, *x]\n")).hasSize(1);
    }

    @Test
    void nestingIsLimitedBeforeTheComposerRecurses() {
        assertThat(all("[".repeat(100) + "]".repeat(100))).hasSize(1);
        YamlLimitException e = refused("[".repeat(101) + "]".repeat(101));
        assertAt(e, 1, 101);
        assertThat(e.getProblem()).isEqualTo("nesting deeper than 100 levels (expected at most 100 mappings and "
                + "sequences inside each other)");
        // Block style: one level per line.
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            block.append(" ".repeat(i)).append("k:\n");
        }
        assertAt(refused(block.toString()), 101, 101);
    }

    @Test
    void nestingCountsWhatAnAliasStandsFor() {
        String text = "a: &a " + "[".repeat(60) + "]".repeat(60) + "\nb: " + "[".repeat(40) + "*a" + "]".repeat(40)
                + "\n";
        YamlLimitException e = refused(text);
        assertAt(e, 2, 44);
        assertThat(e.getProblem()).startsWith("alias *a nests deeper than 100 levels once expanded");
    }

    @Test
    void aliasBombIsRefusedByItsExpandedSize() {
        InputLimits small = new InputLimits(1 << 20, 100, 1000, 50, Duration.ofSeconds(10));
        String bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        YamlLimitException e = refused(bomb, small);
        assertAt(e, 3, 33); // 127 nodes before c's aliases, 111 for each: the 8th crosses 1000
        assertThat(e.getProblem()).isEqualTo("the document has more than 1000 nodes with its aliases expanded "
                + "(expected at most 1000)");
    }

    @Test
    void aliasesToCollectionsAreCountedWithAPosition() {
        StringBuilder text = new StringBuilder("a: &a [x]\nl:\n");
        for (int i = 0; i < 51; i++) {
            text.append("- *a\n");
        }
        YamlLimitException e = refused(text.toString());
        assertAt(e, 53, 3);
        assertThat(e.getProblem()).isEqualTo("more than 50 aliases to mappings or sequences (expected at most 50 in "
                + "one document)");
    }

    @Test
    void textOverTheSizeLimitIsRefusedWhereTheLimitIsCrossed() {
        InputLimits small = new InputLimits(20, 100, 1000, 50, Duration.ofSeconds(10));
        YamlLimitException e = refused("a: 1\nbb: 2\nccccccc: 3333333\n", small);
        assertAt(e, 3, 10);
        assertThat(e.getProblem()).isEqualTo("the text is longer than 20 characters (expected at most 20 characters "
                + "of YAML)");
        assertThat(all("a: 1\n", small)).hasSize(1);
    }

    @Test
    void numbersLongerThanJacksonTakesAreRefused() {
        String digits = "9".repeat(1001);
        YamlLimitException e = refused("a: [1, " + digits + "]\n");
        assertAt(e, 1, 8);
        assertThat(e.getProblem()).isEqualTo("a number of 1001 characters (expected at most 1000; quote it if it is "
                + "text)");
        assertThat(refused("a: !!float 1" + digits + "\n").getProblem()).startsWith("a number of 1002 characters");
        assertThat(all("a: '" + digits + "'\nb: x" + digits + "\nc: " + "9".repeat(1000) + "\n")).hasSize(1);
    }

    @Test
    void readingIsBoundedInTime() {
        InputLimits none = new InputLimits(1 << 20, 100, 1000, 50, Duration.ZERO);
        YamlLimitException e = refused("a: 1\n", none);
        assertThat(e.getProblem()).isEqualTo("reading took longer than 0 s (expected a document Ward can read in "
                + "that time)");
    }

    @Test
    void errorsSnakeyamlGivesWithoutAPlaceGetOne() {
        assertThatThrownBy(() -> all("a: 1\nb: x\u0001y\n")).cause().isInstanceOfSatisfying(ParserException.class, e -> {
            assertThat(e.getProblem()).isEqualTo("character U+0001 is not allowed (expected printable Unicode text)");
            assertThat(e.getProblemMark().orElseThrow().getLine()).isEqualTo(1);
            assertThat(e.getProblemMark().orElseThrow().getColumn()).isEqualTo(4);
        });
    }

    @Test
    void documentsBeforeABadOneAreReturned() {
        List<Node> seen = new ArrayList<>();
        assertThatThrownBy(() -> BoundedYaml.composeAll("a: 1\n---\nb: &s {c: *s}\n", SETTINGS).forEach(seen::add))
                .isInstanceOf(YamlLimitException.class);
        assertThat(seen).hasSize(1);
    }

    @Test
    void anchorsAreScopedToTheirDocument() {
        assertThatThrownBy(() -> all("a: &x 1\n---\nb: *x\n")).cause().isInstanceOf(ComposerException.class)
                .hasMessageContaining("found undefined alias x");
    }

    private static List<Node> all(String text) {
        return all(text, InputLimits.DEFAULT);
    }

    private static List<Node> all(String text, InputLimits limits) {
        return Fuzz.bounded("yaml", text, Fuzz.PER_INPUT, () -> {
            List<Node> out = new ArrayList<>();
            BoundedYaml.composeAll(text, SETTINGS, limits).forEach(out::add);
            return out;
        });
    }

    private static YamlLimitException refused(String text) {
        return refused(text, InputLimits.DEFAULT);
    }

    private static YamlLimitException refused(String text, InputLimits limits) {
        return Fuzz.bounded("yaml", text, Fuzz.PER_INPUT, () -> {
            try {
                BoundedYaml.composeAll(text, SETTINGS, limits).forEach(n -> { });
            } catch (YamlLimitException e) {
                return e;
            }
            throw new AssertionError("accepted: " + text);
        });
    }

    private static void assertAt(YamlLimitException e, int line, int column) {
        Mark m = e.getProblemMark().orElseThrow();
        assertThat(m.getName()).isEqualTo("t.yaml");
        assertThat(m.getLine() + 1).as("line of " + e.getProblem()).isEqualTo(line);
        assertThat(m.getColumn() + 1).as("column of " + e.getProblem()).isEqualTo(column);
    }
}
