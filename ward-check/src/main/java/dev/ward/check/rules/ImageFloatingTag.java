package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-014: image without tag or digest, or tagged latest / latest-* / *-latest. */
final class ImageFloatingTag extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-014", "ImageLatestTag", Severity.MEDIUM, List.of(),
            "Image uses latest or no tag",
            "An image without a tag is `latest`, and `latest` (like latest-* variants) moves: each task start may pull "
                    + "code other than what was reviewed and scanned, and a rollback cannot bring the previous image back.",
            "Reference the image by digest (name@sha256:...) or at least by an immutable version tag, and turn on tag "
                    + "immutability on the ECR repository.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        c.image().filter(Field::hasText).ifPresent(f -> {
            ImageRef ref = ImageRef.parse(f.text());
            if (ref.floatingTag()) {
                String what = ref.tag() == null ? "has no tag, so it pulls `latest`" : "uses the moving tag `" + ref.tag() + "`";
                sink.report(INFO, td, c, f.loc(), "Container `" + c.name() + "`: image `" + f.text() + "` " + what + ".");
            }
        });
    }
}
