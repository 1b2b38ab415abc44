package dev.ward.taskdef.source;

import java.util.List;

/**
 * CloudFormation's intrinsic functions, recognised by one rule in both of their forms: the long form, an object whose
 * only member is {@code Ref}, {@code Condition} or {@code Fn::Name} ({@code {"Fn::Sub": "..."}}), and YAML's short
 * form, a local tag ({@code !Sub "..."}, {@code !GetAtt a.b}). ward check reads them as values known only at deploy
 * time ({@link Node#intrinsic()}); ward inject refuses to rewrite them and writes them back in the short form.
 */
public final class Intrinsics {
    /** The functions YAML may write in the short form, {@code !Name}. */
    public static final List<String> SHORT = List.of("Ref", "Sub", "GetAtt", "Join", "Select", "Split", "FindInMap",
            "ImportValue", "GetAZs", "If", "Equals", "Not", "And", "Or", "Base64", "Cidr", "Condition", "Transform",
            "ToJsonString", "Length");

    private Intrinsics() {
    }

    /** Whether an object whose only member is named {@code key} is an intrinsic function. */
    public static boolean isFunctionKey(String key) {
        return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
    }

    /** Whether {@code tag} is written in the source as a local tag ({@code !Name}), the short form of a function. */
    public static boolean isShortTag(String tag) {
        return tag != null && tag.startsWith("!") && !tag.startsWith("!!");
    }

    /** The long-form key for a short-form tag: {@code !Ref} is {@code Ref}, {@code !Sub} is {@code Fn::Sub}. */
    public static String longName(String tag) {
        String name = tag.substring(1);
        return name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
    }

    /** The short-form tag for a long-form key ({@code Fn::Sub} is {@code !Sub}), or null when there is none. */
    public static String shortTag(String longName) {
        String name = longName.startsWith("Fn::") ? longName.substring(4) : longName;
        return SHORT.contains(name) ? "!" + name : null;
    }
}
