package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A source being read: its name for messages and its text for quoting the offending line (null for
 * JSON embedded in a string, whose lines are not the file's).
 *
 * @param collected  null to stop at the first field of the wrong shape (ward check: one error per file); a list to
 *                   collect every such problem, read the field as absent and go on
 * @param exactNames true to read only fields named exactly as the ECS API spells them ({@code image}, never
 *                   {@code Image}: the API refuses it); false to ignore case, so that one reading serves the API's
 *                   camelCase and CloudFormation's PascalCase (ward check)
 */
public record Src(String file, String text, List<BadInputException> collected, boolean exactNames) {
    public Src(String file, String text) {
        this(file, text, null, false);
    }

    /**
     * A task definition as the ECS API takes it, for a tool that reports every problem at once (ward local) or
     * reads leniently what it does not rewrite (ward inject): exact field names, every shape problem collected in
     * {@link #collected()} instead of thrown.
     */
    public static Src api(String file, String text) {
        return new Src(file, text, new ArrayList<>(), true);
    }

    public BadInputException shape(Node n, String detail) {
        return BadInputException.at(file, text, n.pos(), ErrorCode.SHAPE, detail);
    }

    /** The member {@code key} of {@code o}, by this source's rule for names. */
    Optional<Node> get(ObjNode o, String key) {
        return exactNames ? Optional.ofNullable(o.members().get(key)) : o.get(key);
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
