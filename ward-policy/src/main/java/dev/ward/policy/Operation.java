package dev.ward.policy;

/** The kind of event a decision is about; the names are KubeArmor's alert "Operation" values. */
public enum Operation {
    PROCESS("Process"),
    FILE("File"),
    NETWORK("Network"),
    CAPABILITIES("Capabilities"),
    SYSCALL("Syscall");

    private final String displayName;

    Operation(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
