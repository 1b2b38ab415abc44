package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-016: image from a registry outside the trusted list. */
final class UntrustedRegistry extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-016", "UntrustedRegistry", Severity.MEDIUM, List.of(),
            "Image from outside the trusted registries",
            "Images from public registries can change hands, be typo-squatted, disappear or be rate-limited; images in "
                    + "your own registry are scanned and controlled by you. Unless configured otherwise Ward trusts private "
                    + "Amazon ECR registries only.",
            "Copy the image into your ECR (a pull-through cache rule or a CI step) and reference it there, or, if the "
                    + "registry is trusted, add it to trustedRegistries in .ward-check.yaml or pass --trusted-registry.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        c.image().filter(Field::hasText).ifPresent(f -> {
            ImageRef ref = ImageRef.parse(f.text());
            if (!Registries.trusted(ref, ctx.trustedRegistries())) {
                sink.report(INFO, td, c, f.loc(), "Container `" + c.name() + "`: image `" + f.text() + "` comes from `"
                        + ref.registry() + "`, which is not among the trusted registries ("
                        + String.join(", ", ctx.trustedRegistries()) + ").");
            }
        });
    }
}
