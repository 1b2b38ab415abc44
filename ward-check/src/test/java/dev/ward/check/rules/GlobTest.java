package dev.ward.check.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void starStopsAtSlashDoubleStarDoesNot() {
        assertThat(Glob.of("deploy/*.json").matches("deploy/a.json")).isTrue();
        assertThat(Glob.of("deploy/*.json").matches("deploy/x/a.json")).isFalse();
        assertThat(Glob.of("deploy/**").matches("deploy/x/a.json")).isTrue();
        assertThat(Glob.of("**/task.json").matches("task.json")).isTrue();
        assertThat(Glob.of("**/task.json").matches("a/b/task.json")).isTrue();
    }

    @Test
    void jsonPathCharactersAreLiteral() {
        assertThat(Glob.of("$.containerDefinitions[*].user").matches("$.containerDefinitions[3].user")).isTrue();
        assertThat(Glob.of("$.containerDefinitions[0].user").matches("$.containerDefinitions[1].user")).isFalse();
        assertThat(Glob.of("WARD-ECS-01?").matches("WARD-ECS-013")).isTrue();
    }
}
