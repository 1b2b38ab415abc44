package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Optional;

/** WARD-ECS-001: a variable whose name says "credential" in the plain {@code environment} list. */
final class EnvSecretName extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-001", "SecretInEnvironmentByName", Severity.HIGH, List.of("ECS.8"),
            "Secret-looking variable in plain environment",
            "Values in `environment` are stored in the task definition in clear text: anyone who can describe the "
                    + "task definition, open it in the console or read the pipeline that registers it sees them, and every "
                    + "revision keeps them. A name such as *_KEY, *_SECRET, *TOKEN* or *PASSWORD* says the value is a credential.",
            "Store the value in AWS Secrets Manager or SSM Parameter Store (SecureString) and reference it from the "
                    + "container's `secrets` list with `valueFrom`; allow the execution role to read it. Then rotate the "
                    + "value and deregister the revisions that carry it.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        for (EnvVar e : c.environment()) {
            Optional<String> name = e.literalName();
            if (name.isEmpty() || !Secrets.secretName(name.get()) || e.value().isEmpty()) {
                continue;
            }
            Field v = e.value().get();
            if (!v.dynamic() && Secrets.harmlessValue(v.text())) {
                continue;
            }
            if (EnvSecretValue.detect(v).isPresent()) {
                continue; // the value itself is a credential: WARD-ECS-002 reports it, more severely
            }
            String from = v.dynamic()
                    ? " Its value comes from `" + v.shown() + "`, but it still ends up in the task definition in clear text."
                    : "";
            sink.report(INFO, td, c, e.name().loc(), "Container `" + c.name() + "` passes `" + name.get()
                    + "` as a plain environment variable; its name says it is a credential." + from
                    + " Move it to `secrets` with `valueFrom`.");
        }
    }
}
