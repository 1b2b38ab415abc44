package dev.ward.check.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.CheckResult;
import dev.ward.check.Checker;
import dev.ward.check.Finding;
import dev.ward.check.Severity;
import dev.ward.check.TestChecks;
import dev.ward.check.rules.RuleContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {
    /** Two containers without users, and no task role although AWS_REGION is set. */
    private static CheckResult result() {
        var td = TestChecks.task();
        td.remove("taskRoleArn");
        TestChecks.app(td).remove("user");
        TestChecks.app(td).putArray("environment").addObject().put("name", "AWS_REGION").put("value", "eu-west-1");
        var second = TestChecks.app(td).deepCopy().put("name", "worker");
        td.withArray("containerDefinitions").add(second);
        List<Finding> f = TestChecks.check("deploy/app.json", td.toPrettyString());
        return new CheckResult(List.of(new CheckResult.Checked("deploy/app.json", "task definition", 1)), f,
                List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void groupsByFileResourceAndContainerWithTaskFindingsFirst() {
        String text = TextReport.render(result(), Severity.HIGH, new Ansi(false), false);
        int file = text.indexOf("deploy/app.json\n");
        int resource = text.indexOf("  task definition app\n");
        int taskLevel = text.indexOf("    medium   WARD-ECS-018  deploy/app.json:");
        int app = text.indexOf("    container app\n");
        int worker = text.indexOf("    container worker\n");
        assertThat(file).isZero();
        assertThat(resource).isGreaterThan(file);
        assertThat(taskLevel).isGreaterThan(resource);
        assertThat(app).isGreaterThan(taskLevel);
        assertThat(worker).isGreaterThan(app);
        assertThat(text).contains("      medium   WARD-ECS-004 (ECS.20, ECS.21)  deploy/app.json:");
    }

    @Test
    void fixIsGivenOncePerRuleAndFileAndWhyOnlyWhenVerbose() {
        String text = TextReport.render(result(), Severity.HIGH, new Ansi(false), false);
        assertThat(text.split("fix: Set `user` to a non-root UID:GID", -1)).hasSize(2);
        assertThat(text).doesNotContain("why: ");
        assertThat(TextReport.render(result(), Severity.HIGH, new Ansi(false), true)).contains("why: Without `user`");
    }

    @Test
    void summaryCountsBySeverityAndNamesTheThreshold() {
        String text = TextReport.render(result(), Severity.MEDIUM, new Ansi(false), false);
        assertThat(text).endsWith("3 findings in 1 file (3 medium); 1 file checked. 3 at or above medium: failing.\n");
    }

    @Test
    void checkerPathsAreRelativeToTheWorkingDirectory() {
        Checker c = new Checker(RuleContext.defaults(), List.of(), Path.of("/work/repo"));
        CheckResult r = c.run(List.of(Path.of("/elsewhere/none.json")));
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.file()).isEqualTo("/elsewhere/none.json"));
    }
}
