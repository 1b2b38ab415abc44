package dev.ward.policy;

/** What a rule asks for when it matches. Order matters nowhere: precedence is decided in {@link PolicySet}. */
public enum Action {
    BLOCK("Block"),
    AUDIT("Audit"),
    ALLOW("Allow");

    private final String displayName;

    Action(String displayName) {
        this.displayName = displayName;
    }

    /** The spelling KubeArmor uses in YAML and in alerts: "Block", "Audit", "Allow". */
    public String displayName() {
        return displayName;
    }

    /** The action spelled exactly as in YAML, or null when the spelling is not one of the three. */
    public static Action fromDisplayName(String s) {
        for (Action a : values()) {
            if (a.displayName.equals(s)) {
                return a;
            }
        }
        return null;
    }
}
