package dev.ward.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits multi-document YAML at "---" lines, keeping each document's first line number so that errors in
 * document 3 still point at the right line of the file. The store keeps one document per policy.
 */
final class PolicyDocuments {
    /** One document: its text and the 0-based line it starts at in the original. */
    record Doc(String text, int firstLine) {
        /** The text with blank lines in front, so a parser reports the original line numbers. */
        String positioned() {
            return "\n".repeat(firstLine) + text;
        }
    }

    private PolicyDocuments() {
    }

    static List<Doc> split(String yaml) {
        List<Doc> out = new ArrayList<>();
        String[] lines = yaml.split("\n", -1);
        StringBuilder cur = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.equals("---") || l.startsWith("--- ") || l.startsWith("---\t") || l.equals("---\r")) {
                add(out, cur, start);
                cur.setLength(0);
                start = i + 1;
                continue;
            }
            cur.append(l).append('\n');
        }
        add(out, cur, start);
        return out;
    }

    private static void add(List<Doc> out, StringBuilder text, int start) {
        for (String l : text.toString().split("\n")) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(new Doc(text.toString(), start));
                return;
            }
        }
    }
}
