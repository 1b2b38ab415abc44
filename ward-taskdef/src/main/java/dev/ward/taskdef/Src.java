package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * A source being read: its name for messages and its text for quoting the offending line (null for
 * JSON embedded in a string, whose lines are not the file's).
 *
 * @param collected null to stop at the first field of the wrong shape (ward check: one error per file); a list to
 *                  collect every such problem, read the field as absent and go on ({@link #collecting}: ward local
 *                  reports every problem of a task definition at once)
 */
public record Src(String file, String text, List<BadInputException> collected) {
    public Src(String file, String text) {
        this(file, text, null);
    }

    /** A source whose shape problems are collected in {@link #collected()} instead of thrown. */
    public static Src collecting(String file, String text) {
        return new Src(file, text, new ArrayList<>());
    }

    public BadInputException shape(Node n, String detail) {
        return BadInputException.at(file, text, n.pos(), ErrorCode.SHAPE, detail);
    }

    /** A field of the wrong shape: thrown, or collected when this source collects (the caller then skips it). */
    void refuse(Node n, String detail) throws BadInputException {
        BadInputException e = shape(n, detail);
        if (collected == null) {
            throw e;
        }
        collected.add(e);
    }
}
