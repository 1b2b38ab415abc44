package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Loc;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
import dev.ward.taskdef.source.JsonPath;
import java.util.List;

/** WARD-ECS-020: an EFS volume whose transitEncryption is not ENABLED (DISABLED is the default). */
final class EfsTransitEncryption implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-020", "EfsWithoutTransitEncryption", Severity.MEDIUM, List.of("ECS.18"),
            "EFS volume without encryption in transit",
            "Unless transitEncryption is ENABLED, the NFS traffic between the task and the EFS file system crosses the "
                    + "VPC unencrypted.",
            "Set transitEncryption to ENABLED in the volume's EFS configuration (and authorizationConfig.iam to ENABLED "
                    + "to have EFS check the task role).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkTask(TaskDef td, RuleContext ctx, Sink sink) {
        for (Volume v : td.volumes()) {
            if (v.efs().isEmpty()) {
                continue;
            }
            if (v.transitEncryption().map(f -> f.dynamic() || f.is("ENABLED")).orElse(false)) {
                continue;
            }
            Loc efs = v.efs().get();
            Loc where = v.transitEncryption().map(Field::loc)
                    .orElse(new Loc(JsonPath.member(efs.path(), td.dialect().key("transitEncryption")), efs.pos()));
            String state = v.transitEncryption().map(f -> "sets transitEncryption to " + f.shown())
                    .orElse("does not set transitEncryption (the default is DISABLED)");
            sink.report(INFO, td, null, where, "EFS volume `" + v.name() + "` of task definition `" + td.label() + "` "
                    + state + ".");
        }
    }
}
