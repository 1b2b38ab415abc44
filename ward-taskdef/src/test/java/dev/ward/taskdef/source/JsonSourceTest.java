package dev.ward.taskdef.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonSourceTest {
    private static final String DOC = """
            {
              "family": "web",
              "containerDefinitions": [
                {"name": "app", "user": "root"}
              ]
            }
            """;

    @Test
    void membersAreAnchoredAtTheirKeys() throws BadInputException {
        ObjNode o = (ObjNode) JsonSource.parse(DOC, "t.json");
        assertThat(o.get("family").orElseThrow().pos()).isEqualTo(new Pos(2, 3));
        ObjNode c = (ObjNode) ((ArrNode) o.get("containerDefinitions").orElseThrow()).items().getFirst();
        assertThat(c.pos()).isEqualTo(new Pos(4, 5));
        Node user = c.get("user").orElseThrow();
        assertThat(user.pos()).isEqualTo(new Pos(4, 21));
        assertThat(user.path()).isEqualTo("$.containerDefinitions[0].user");
    }

    @Test
    void lookupIgnoresCaseButPrefersExactKeys() throws BadInputException {
        ObjNode o = (ObjNode) JsonSource.parse("{\"User\": \"a\", \"user\": \"b\", \"Image\": \"c\"}", "t.json");
        assertThat(((ValNode) o.get("user").orElseThrow()).text()).isEqualTo("b");
        assertThat(((ValNode) o.get("image").orElseThrow()).text()).isEqualTo("c");
    }

    @Test
    void oddKeysGetBracketPaths() throws BadInputException {
        ObjNode o = (ObjNode) JsonSource.parse("{\"Fn::Sub\": \"x\", \"a b\": 1}", "t.json");
        assertThat(o.get("Fn::Sub").orElseThrow().path()).isEqualTo("$['Fn::Sub']");
        assertThat(o.get("a b").orElseThrow().path()).isEqualTo("$['a b']");
    }

    @Test
    void malformedJsonReportsFileLineAndColumn() {
        String bad = "{\n  \"family\": \"web\",\n  \"cpu\": ,\n}\n";
        assertThatThrownBy(() -> JsonSource.parse(bad, "deploy/t.json"))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.where()).isEqualTo("deploy/t.json:3:10");
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_SYNTAX);
                    assertThat(e.render()).startsWith("deploy/t.json:3:10: error[WC101]: ")
                            .contains("    3 |   \"cpu\": ,").endsWith("|          ^");
                });
    }

    @Test
    void unterminatedObjectSaysWhereItOpened() {
        assertThatThrownBy(() -> JsonSource.parse("{\n  \"a\": [1,\n", "t.json"))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.pos()).isNotNull();
                    assertThat(e.detail()).doesNotContain("Source:");
                });
    }

    @Test
    void duplicateKeysAreErrorsAtTheSecondKey() {
        assertThatThrownBy(() -> JsonSource.parse("{\"user\": \"1000\",\n \"user\": \"root\"}", "t.json"))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
                    assertThat(e.where()).isEqualTo("t.json:2:2");
                });
    }

    @Test
    void embeddedJsonKeepsTheEmbeddingPlace() throws BadInputException {
        Pos at = new Pos(7, 9);
        ArrNode list = (ArrNode) JsonSource.parse("[{\"user\": \"root\"}]", "plan.json", "$.values.container_definitions", at);
        Node user = ((ObjNode) list.items().getFirst()).get("user").orElseThrow();
        assertThat(user.pos()).isEqualTo(at);
        assertThat(user.path()).isEqualTo("$.values.container_definitions[0].user");
    }

    @Test
    void emptyAndTrailingContentAreErrors() {
        assertThatThrownBy(() -> JsonSource.parse("  ", "t.json")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> JsonSource.parse("{} {}", "t.json"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.where()).isEqualTo("t.json:1:4"));
    }
}
