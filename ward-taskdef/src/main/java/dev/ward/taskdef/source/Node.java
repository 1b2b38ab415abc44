package dev.ward.taskdef.source;

/**
 * One value of a parsed JSON or YAML document, with the JSON path that leads to it and the place it
 * comes from in the source file.
 *
 * <p>{@link #pos()} is the node's anchor: for an object member it is the member's key (so a report
 * points at {@code "user": "root"}, not at the value alone), otherwise the value's first character.
 * {@link #tag()} is a YAML tag written in the source, such as {@code !Ref} or {@code !Sub}; null when
 * there is none.
 */
public sealed interface Node permits ObjNode, ArrNode, ValNode {
    String path();

    Pos pos();

    String tag();

    /**
     * True when the value is only known at deploy time: a CloudFormation intrinsic function, written
     * either as a short-form tag ({@code !Ref x}) or as a one-member object ({@code {"Fn::Sub": ...}}); see
     * {@link Intrinsics}.
     */
    default boolean intrinsic() {
        if (tag() != null) {
            return true;
        }
        if (this instanceof ObjNode o && o.members().size() == 1) {
            String key = o.members().keySet().iterator().next();
            return Intrinsics.isFunctionKey(key);
        }
        return false;
    }
}
