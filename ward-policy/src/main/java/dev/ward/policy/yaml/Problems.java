package dev.ward.policy.yaml;

import dev.ward.policy.Problem;
import dev.ward.policy.model.Position;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects the problems of one source text, turning YAML marks into 1-based positions with the line's text. */
final class Problems {
    private final String file;
    private final String[] lines;
    private final List<Problem> sink;

    Problems(String file, String text, List<Problem> sink) {
        this.file = file;
        this.lines = text.split("\r?\n", -1);
        this.sink = sink;
    }

    String file() {
        return file;
    }

    int count() {
        return sink.size();
    }

    void at(Node node, ErrorCode code, String message) {
        at(node.getStartMark().orElse(null), code, message);
    }

    void at(Mark mark, ErrorCode code, String message) {
        if (mark == null) {
            add(0, 0, code, message);
        } else {
            add(mark.getLine() + 1, mark.getColumn() + 1, code, message);
        }
    }

    void add(int line, int column, ErrorCode code, String message) {
        String text = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        sink.add(new Problem(file, line, column, code.code(), message, text));
    }

    Position position(Node node) {
        return node.getStartMark().map(m -> new Position(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new Position(file, 0, 0));
    }
}
