package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Service;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * WARD-ECS-023: a Fargate platform version other than LATEST or the current latest Linux version.
 * Security Hub ECS.10 treats 1.4.0 (Linux) as latest; the same value is accepted here so the two agree.
 */
final class PlatformVersion implements Rule {
    static final Set<String> CURRENT = Set.of("LATEST", "1.4.0");
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-023", "OldFargatePlatformVersion", Severity.MEDIUM, List.of("ECS.10"),
            "Fargate platform version is not the latest",
            "A platform version is a kernel and container runtime. A service pinned to an older one misses their "
                    + "security fixes and features (1.4.0 brought, among others, EFS volumes and SYS_PTRACE).",
            "Set platformVersion to LATEST, or remove it (LATEST is the default), and redeploy the service. (Windows "
                    + "tasks: 1.0.0 is the latest Windows version; suppress this finding for them with that reason.)");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkService(Service s, RuleContext ctx, Sink sink) {
        if (s.launchType().map(f -> f.is("EC2") || f.is("EXTERNAL")).orElse(false)) {
            return;
        }
        s.platformVersion().filter(Field::hasText).filter(f -> !CURRENT.contains(f.text().trim().toUpperCase(Locale.ROOT)))
                .ifPresent(f -> sink.report(INFO, s, null, f.loc(), "Service `" + s.label()
                        + "` pins the Fargate platform version " + f.text() + "; the latest Linux version is 1.4.0 (LATEST)."));
    }
}
