package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** WARD-ECS-015: image pinned by a fixed tag but not by digest (floating tags are WARD-ECS-014's). */
final class ImageNotDigest extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-015", "ImageNotPinnedByDigest", Severity.LOW, List.of(),
            "Image not pinned by digest",
            "A tag can be pushed again and then names different content; only a digest (@sha256:...) names exactly the "
                    + "image that was scanned and approved.",
            "Reference the image as name@sha256:DIGEST (a tag may stay beside it for readers), resolved in CI when the "
                    + "image is built, or make the repository's tags immutable.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        c.image().filter(Field::hasText).ifPresent(f -> {
            ImageRef ref = ImageRef.parse(f.text());
            if (ref.digest() == null && !ref.floatingTag()) {
                sink.report(INFO, td, c, f.loc(), "Container `" + c.name() + "`: image `" + f.text()
                        + "` is pinned by the tag `" + ref.tag() + "`, not by digest.");
            }
        });
    }
}
