package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Optional;

/**
 * WARD-ECS-002: an environment value that is itself a credential. Messages never repeat the value:
 * reports end up in CI logs.
 */
final class EnvSecretValue extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-002", "SecretInEnvironmentByValue", Severity.CRITICAL, List.of("ECS.8"),
            "Credential written into the task definition",
            "The value itself is a credential: an AWS access key id, a private key, a URL with a password, a known "
                    + "token format or a long high-entropy string. Whoever can read the task definition, its earlier "
                    + "revisions or the repository it lives in can use it.",
            "Treat it as leaked: rotate it now. Keep the new one in Secrets Manager or SSM Parameter Store and "
                    + "reference it through `secrets` with `valueFrom`; for AWS access keys, give the task a task role instead.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** What the value is, when it is a credential: literals by pattern and entropy, !Sub templates by password-in-URL. */
    static Optional<String> detect(Field v) {
        if (!v.dynamic()) {
            return Secrets.secretValue(v.text());
        }
        return Secrets.urlWithPassword(v.template())
                ? Optional.of("a URL with a password interpolated into it by Fn::Sub")
                : Optional.empty();
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        for (EnvVar e : c.environment()) {
            if (e.value().isEmpty()) {
                continue;
            }
            Field v = e.value().get();
            Optional<String> kind = detect(v);
            if (kind.isPresent()) {
                sink.report(INFO, td, c, v.loc(), "Container `" + c.name() + "`: the value of `" + e.name().shown()
                        + "` is " + kind.get() + ", stored in clear text in the task definition.");
            }
        }
    }
}
