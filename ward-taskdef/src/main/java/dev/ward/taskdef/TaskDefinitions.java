package dev.ward.taskdef;

import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.Optional;

/**
 * The two ways a task definition arrives as one document: {@code register-task-definition} input (the task
 * definition itself) and {@code describe-task-definition} output ({@code {"taskDefinition": {...}}}). One rule for
 * every tool: the document is describe output when its {@code taskDefinition} is an object that holds
 * {@code containerDefinitions}; a {@code taskDefinition} string is a service's reference, not a wrapper.
 */
public final class TaskDefinitions {
    private TaskDefinitions() {
    }

    /** The task definition inside describe output, or empty when {@code doc} is not describe output. */
    public static Optional<ObjNode> described(ObjNode doc) {
        return doc.obj("taskDefinition").filter(t -> t.has("containerDefinitions"));
    }

    /** The task definition a document holds: the wrapped one of describe output, else the document itself. */
    public static Node unwrap(Node doc) {
        return doc instanceof ObjNode o ? described(o).<Node>map(t -> t).orElse(doc) : doc;
    }
}
