package dev.ward.policy.yaml;

/**
 * Stable codes of policy problems. The codes are part of Ward's interface (scripts grep for them, docs link to
 * them): never renumber, only add.
 */
public enum ErrorCode {
    SYNTAX("WP001", "YAML syntax error"),
    MISSING_FIELD("WP002", "required field missing"),
    UNKNOWN_FIELD("WP003", "unknown field"),
    WRONG_TYPE("WP004", "wrong type"),
    BAD_ENUM("WP005", "value not allowed"),
    OUT_OF_RANGE("WP006", "number out of range"),
    BAD_PATH("WP007", "path or directory not in the form the CRD requires"),
    DUPLICATE_KEY("WP008", "key given twice"),
    NO_RULES("WP009", "nothing to match"),
    IO("WP010", "file cannot be read"),
    BAD_PATTERN("WP011", "invalid glob pattern"),
    BAD_SELECTOR("WP012", "invalid selector expression"),
    UNSUPPORTED("WP013", "KubeArmor or Istio feature Ward does not support yet"),
    DUPLICATE_POLICY("WP014", "policy name given twice"),
    BAD_HEADER("WP015", "not a KubeArmorPolicy or AuthorizationPolicy"),
    CONFLICT("WP016", "fields that exclude each other"),
    LIMIT("WP017", "input beyond a limit (nesting, aliases, size, time) or recursive"),
    BAD_ADDRESS("WP018", "invalid IP address or CIDR"),
    NEVER_MATCHES("WP019", "a rule that can never match (warning)"),
    BROAD_ALLOW("WP020", "an ALLOW rule for any mesh identity (warning)"),
    NOT_ISTIO("WP021", "written differently from what Istio accepts or matches (warning)"),
    DIRECTION("WP022", "a field that does not apply to the policy's direction (inbound or egress)");

    private final String code;
    private final String title;

    ErrorCode(String code, String title) {
        this.code = code;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
