package dev.ward.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starStaysWithinOneComponent() {
        Glob g = Glob.compile("/etc/*.conf");
        assertThat(g.matches("/etc/a.conf")).isTrue();
        assertThat(g.matches("/etc/.conf")).isTrue();
        assertThat(g.matches("/etc/a/b.conf")).isFalse();
        assertThat(g.matches("/etc/a.confx")).isFalse();
    }

    @Test
    void questionMarkIsOneCharacterNotSlash() {
        Glob g = Glob.compile("/etc/*hado?");
        assertThat(g.matches("/etc/shadow")).isTrue();
        assertThat(g.matches("/etc/hadow")).isTrue();
        assertThat(g.matches("/etc/shado")).isFalse();
        assertThat(g.matches("/etc/shado/")).isFalse();
        assertThat(Glob.compile("/x/?").matches("/x/é")).as("one character, two bytes").isTrue();
        assertThat(Glob.compile("/x/??").matches("/x/é")).isFalse();
    }

    @Test
    void doubleStarCrossesDirectoriesAndMayBeEmpty() {
        Glob g = Glob.compile("/var/**/log");
        assertThat(g.matches("/var/a/b/c/log")).isTrue();
        assertThat(g.matches("/var/log")).isTrue();
        assertThat(g.matches("/var/alog")).isFalse();
        Glob tail = Glob.compile("/tmp/**");
        assertThat(tail.matches("/tmp/a/b")).isTrue();
        assertThat(tail.matches("/tmp/")).isTrue();
        assertThat(tail.matches("/tmp")).isFalse();
        assertThat(Glob.compile("/**/ldr.sh").matches("/ldr.sh")).isTrue();
        assertThat(Glob.compile("/a**b").matches("/a/x/b")).isTrue();
    }

    @Test
    void literalDirectoryPrefix() {
        assertThat(Glob.compile("/etc/*hado?").literalDirPrefix()).isEqualTo("/etc/");
        assertThat(Glob.compile("/**").literalDirPrefix()).isEqualTo("/");
        assertThat(Glob.compile("/home/*/.ssh/**").literalDirPrefix()).isEqualTo("/home/");
        assertThat(Glob.compile("/a/b/c").wildcard()).isFalse();
    }

    @Test
    void longPatternsUseSeveralWords() {
        String dir = "/" + "d".repeat(100) + "/";
        Glob g = Glob.compile(dir + "**/" + "x".repeat(40) + "?*.log");
        assertThat(g.scratchWords()).isGreaterThan(2);
        assertThat(g.matches(dir + "a/b/" + "x".repeat(40) + "1abc.log")).isTrue();
        assertThat(g.matches(dir + "x".repeat(40) + "1.log")).isTrue();
        assertThat(g.matches(dir + "a/b/" + "x".repeat(39) + "1abc.log")).isFalse();
        assertThatThrownBy(() -> Glob.compile("/" + "a".repeat(Glob.MAX_TOKENS)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Agrees with a regular expression translation on random patterns and paths, short and long. */
    @Test
    void agreesWithARegexOracle() {
        Random r = new Random(42);
        String[] atoms = {"a", "b", "/", "*", "?", "**", "**/", "é"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder p = new StringBuilder("/");
            int n = 1 + r.nextInt(i % 10 == 0 ? 80 : 8);
            for (int k = 0; k < n; k++) {
                p.append(atoms[r.nextInt(atoms.length)]);
            }
            StringBuilder s = new StringBuilder("/");
            int m = r.nextInt(i % 10 == 0 ? 120 : 10);
            for (int k = 0; k < m; k++) {
                s.append("ab/é".charAt(r.nextInt(4)));
            }
            String pattern = p.toString();
            String path = s.toString();
            assertThat(Glob.compile(pattern).matches(path)).as(pattern + " vs " + path)
                    .isEqualTo(oracle(pattern).matcher(path).matches());
        }
    }

    private static Pattern oracle(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); ) {
            char c = glob.charAt(i);
            if (c == '*') {
                int j = i;
                while (j < glob.length() && glob.charAt(j) == '*') {
                    j++;
                }
                boolean dbl = j - i >= 2;
                boolean segment = dbl && (i == 0 || glob.charAt(i - 1) == '/') && j < glob.length()
                        && glob.charAt(j) == '/';
                if (segment) {
                    re.append("(?:.*/)?");
                    j++;
                } else {
                    re.append(dbl ? ".*" : "[^/]*");
                }
                i = j;
            } else {
                re.append(c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
