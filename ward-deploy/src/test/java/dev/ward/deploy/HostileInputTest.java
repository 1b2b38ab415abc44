package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's inputs that hung {@code ward inject} or overflowed its stack: each is now refused with exit 2, file,
 * line and column, in time on the launcher's 256 KiB stack, and nothing is written.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private InjectCommandTest.Run inject(String name, String text) throws IOException {
        Path in = Files.writeString(dir.resolve(name), text);
        Path out = dir.resolve("out");
        InjectCommandTest.Run r = Fuzz.bounded(name, text, Fuzz.PER_INPUT, () -> InjectCommandTest.inject(
                in.toString(), "--agent-image", "registry.example/ward-agent:1", "-o", out.toString()));
        assertThat(out).doesNotExist();
        return r;
    }

    @Test
    void recursiveAliasInATemplateIsRefusedAtTheAlias() throws IOException {
        InjectCommandTest.Run r = inject("stack.yaml", "Resources: {T: {Type: \"AWS::ECS::TaskDefinition\", "
                + "Properties: &p {ContainerDefinitions: [*p]}}}\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("stack.yaml") + ":1:90: alias *p refers to the node anchored &p at "
                + "line 1, column 63, which contains it");
    }

    @Test
    void mergeKeyIntoItsOwnMappingInAManifestIsRefused() throws IOException {
        InjectCommandTest.Run r = inject("app.yaml", "apiVersion: v1\nkind: Pod\nmetadata: &s\n  <<: *s\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("app.yaml") + ":4:7: merge key <<: *s merges the node anchored &s");
    }

    @Test
    void deeplyNestedTaskDefinitionIsRefusedWithItsPlace() throws IOException {
        InjectCommandTest.Run r = inject("task.json", "{\"containerDefinitions\": [], \"x\": "
                + "[".repeat(1200) + "]".repeat(1200) + "}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("task.json") + ":1:135: invalid JSON: Document nesting depth (101) "
                + "exceeds the maximum allowed (100)");
    }

    @Test
    void nodesOfAComplexKeyArePlacedInTheirFile() throws IOException {
        InjectCommandTest.Run r = inject("app.yaml", "apiVersion: v1\nkind: Pod\n? [a]\n: b\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("app.yaml") + ":3:3: a complex mapping key is not supported");
    }
}
