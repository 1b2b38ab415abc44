package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.Node;

/**
 * A source being read: its name for messages and its text for quoting the offending line (null for
 * JSON embedded in a string, whose lines are not the file's).
 */
public record Src(String file, String text) {
    public BadInputException shape(Node n, String detail) {
        return BadInputException.at(file, text, n.pos(), ErrorCode.SHAPE, detail);
    }
}
