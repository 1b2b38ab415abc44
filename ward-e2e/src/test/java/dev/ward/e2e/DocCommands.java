package dev.ward.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ward} commands a reader can copy from the documentation: every line of a fenced {@code bash} or
 * {@code sh} block that starts with {@code ward } or {@code ./ward } (with its {@code \}-continued lines), split
 * into words the way the shell would for the simple commands the docs use (quotes, backslash escapes, a
 * trailing {@code # comment}; a pipe, redirection, {@code ;} or {@code &&} ends the command).
 */
final class DocCommands {
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([\\w-]*).*");
    private static final Pattern WARD = Pattern.compile("^(\\./)?ward\\s.*|^(\\./)?ward$");

    /** One command: where it is written, as written, and its arguments after {@code ward}. */
    record Command(String where, String text, List<String> args) {
        @Override
        public String toString() {
            return where + ": " + text;
        }
    }

    private DocCommands() {
    }

    /** Every command in {@code markdown} (a file under {@code root}). */
    static List<Command> read(Path root, Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        List<Command> out = new ArrayList<>();
        String lang = null; // inside a fence: its language ("" when none); outside: null
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (fence.matches()) {
                lang = lang == null ? fence.group(1) : null;
                continue;
            }
            String line = lines.get(i).strip();
            if (lang == null || !(lang.equals("bash") || lang.equals("sh")) || !WARD.matcher(line).matches()) {
                continue;
            }
            int first = i;
            StringBuilder text = new StringBuilder();
            while (line.endsWith("\\") && i + 1 < lines.size()) {
                text.append(line, 0, line.length() - 1).append(' ');
                line = lines.get(++i).strip();
            }
            text.append(line);
            List<String> words = words(text.toString());
            String where = root.relativize(markdown) + ":" + (first + 1);
            out.add(new Command(where, text.toString(), List.copyOf(words.subList(1, words.size()))));
        }
        return out;
    }

    /** Shell words of a simple command, up to its end (a comment, pipe, redirection, ';' or '&&'). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null && c == '#' || "|<>;&".indexOf(c) >= 0) {
                // The command ends here: a comment, a redirection (its fd number is not an argument), a pipe or
                // another command follows.
                if (word != null && !word.toString().chars().allMatch(Character::isDigit)) {
                    words.add(word.toString());
                }
                return words;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' in: " + text);
                }
                word.append(text, i + 1, end);
                i = end;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < text.length() && "\"\\$`".indexOf(text.charAt(j + 1)) >= 0) {
                        d = text.charAt(++j);
                    }
                    word.append(d);
                }
                if (j >= text.length()) {
                    throw new IllegalArgumentException("unterminated \" in: " + text);
                }
                i = j;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
