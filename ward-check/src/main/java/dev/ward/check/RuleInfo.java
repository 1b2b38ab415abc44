package dev.ward.check;

import java.util.List;

/**
 * What a rule is about, for reports and docs.
 *
 * @param id          stable id, WARD-ECS-NNN; never reused for another check
 * @param name        short PascalCase name (SARIF reportingDescriptor.name)
 * @param severity    how bad a finding is
 * @param securityHub the matching AWS Security Hub controls (ECS.n), possibly none
 * @param title       one line
 * @param rationale   why it matters, in plain words
 * @param remediation how to fix it
 */
public record RuleInfo(String id, String name, Severity severity, List<String> securityHub, String title,
                       String rationale, String remediation) {
    public RuleInfo {
        securityHub = List.copyOf(securityHub);
    }
}
