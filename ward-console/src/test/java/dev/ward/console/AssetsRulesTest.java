package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the browser assets must keep to for the console's Content-Security-Policy and for showing relay data as
 * text: no inline script or style in the page, nothing from another origin, no HTML built from strings, every
 * module import resolves, and the files stay small (one module per page). The real-browser test (ward-e2e's
 * ConsoleBrowserTest) also fails on any CSP violation; this one says which line broke a rule, in milliseconds.
 */
class AssetsRulesTest {
    private static final Path ASSETS = Path.of("src/main/resources/dev/ward/console/assets");
    private static final Pattern IMPORT = Pattern.compile("^import .* from '\\./([\\w-]+\\.js)';$");
    private static final Pattern HTML_SINKS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\(|setAttribute\\('style'");

    @Test
    void thePageHasNoInlineScriptOrStyleAndNothingFromElsewhere() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style")
                .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
        Matcher refs = Pattern.compile("(?:src|href)=\"(assets/[^\"]+)\"").matcher(html);
        int found = 0;
        while (refs.find()) {
            found++;
            assertThat(ASSETS.resolve(refs.group(1).substring("assets/".length()))).as(refs.group()).isRegularFile();
        }
        assertThat(found).as("assets the page loads").isGreaterThanOrEqualTo(4);
    }

    @Test
    void scriptsBuildNoHtmlFromStringsAndImportOnlyTheirSiblings() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path js : files("js")) {
            List<String> lines = Files.readAllLines(js);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = js.getFileName() + ":" + (i + 1) + ": ";
                if (HTML_SINKS.matcher(line).find()) {
                    problems.add(where + "builds HTML or code from a string: " + line.strip());
                }
                if (line.matches("\\s*(//.*)?(https?:)?//[\\w.-]+\\.[a-z]{2,}/.*") || line.contains("import('http")) {
                    problems.add(where + "refers to another origin: " + line.strip());
                }
                Matcher m = IMPORT.matcher(line);
                if (line.startsWith("import ") && !m.matches()) {
                    problems.add(where + "imports something that is not a sibling module: " + line.strip());
                } else if (m.matches() && !Files.isRegularFile(js.resolveSibling(m.group(1)))) {
                    problems.add(where + "imports " + m.group(1) + ", which is not there");
                }
            }
            if (lines.size() > 300) {
                problems.add(js.getFileName() + ": " + lines.size() + " lines; split it by concern (300 at most)");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> s = Files.list(ASSETS)) {
            return s.filter(p -> p.toString().endsWith("." + extension)).sorted().toList();
        }
    }
}
