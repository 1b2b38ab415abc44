package dev.ward.policy.istio;

/** {@code spec.action} of an AuthorizationPolicy that Ward enforces (CUSTOM is refused by the parser). */
public enum AuthzAction {
    ALLOW, DENY, AUDIT
}
