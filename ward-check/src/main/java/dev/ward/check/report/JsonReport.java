package dev.ward.check.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.CheckResult;
import dev.ward.check.Finding;
import dev.ward.check.Severity;
import dev.ward.check.Suppressed;
import dev.ward.check.Version;
import dev.ward.taskdef.source.BadInputException;

/**
 * The machine report ({@code -o json}). Shape, stable within a major version:
 *
 * <pre>
 * {"tool": {"name", "version"}, "failOn",
 *  "summary": {"filesChecked", "findings", "failing", "suppressed", "errors", "bySeverity": {...}},
 *  "findings": [{"ruleId", "securityHub", "severity", "title", "message", "rationale", "remediation",
 *                "file", "jsonPath", "line", "column", "resourceKind", "resource", "container"}],
 *  "suppressed": [{...finding, "suppression": {"reason", "location"}}],
 *  "errors": [{"file", "line", "column", "code", "message"}],
 *  "skipped": [{"file", "reason"}], "checked": [{"file", "kind", "resources"}]}
 * </pre>
 */
public final class JsonReport {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(CheckResult r, Severity failOn) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("tool").put("name", "ward check").put("version", Version.get());
        root.put("failOn", failOn.label());
        ObjectNode summary = root.putObject("summary");
        summary.put("filesChecked", r.checked().size());
        summary.put("findings", r.findings().size());
        summary.put("failing", r.failing(failOn));
        summary.put("suppressed", r.suppressed().size());
        summary.put("errors", r.errors().size());
        ObjectNode bySev = summary.putObject("bySeverity");
        for (Severity s : Severity.values()) {
            bySev.put(s.label(), r.findings().stream().filter(f -> f.severity() == s).count());
        }
        ArrayNode findings = root.putArray("findings");
        r.findings().forEach(f -> finding(findings.addObject(), f));
        ArrayNode suppressed = root.putArray("suppressed");
        for (Suppressed s : r.suppressed()) {
            ObjectNode o = suppressed.addObject();
            finding(o, s.finding());
            o.putObject("suppression").put("reason", s.by().reason()).put("location", s.by().where());
        }
        ArrayNode errors = root.putArray("errors");
        for (BadInputException e : r.errors()) {
            ObjectNode o = errors.addObject().put("file", e.file());
            if (e.pos() != null) {
                o.put("line", e.pos().line()).put("column", e.pos().column());
            }
            o.put("code", e.code().id()).put("message", e.detail());
        }
        ArrayNode skipped = root.putArray("skipped");
        r.skipped().forEach(s -> skipped.addObject().put("file", s.file()).put("reason", s.reason()));
        ArrayNode checked = root.putArray("checked");
        r.checked().forEach(c -> checked.addObject().put("file", c.file()).put("kind", c.kind()).put("resources", c.resources()));
        return write(root);
    }

    static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            // A tree of strings and numbers always serialises; this would be a bug in Jackson or here.
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    private static void finding(ObjectNode o, Finding f) {
        o.put("ruleId", f.rule().id());
        ArrayNode sh = o.putArray("securityHub");
        f.rule().securityHub().forEach(sh::add);
        o.put("severity", f.severity().label());
        o.put("title", f.rule().title());
        o.put("message", f.message());
        o.put("rationale", f.rule().rationale());
        o.put("remediation", f.rule().remediation());
        o.put("file", f.file());
        o.put("jsonPath", f.loc().path());
        o.put("line", f.loc().pos().line());
        o.put("column", f.loc().pos().column());
        o.put("resourceKind", f.kind());
        o.put("resource", f.resource());
        if (f.container() == null) {
            o.putNull("container");
        } else {
            o.put("container", f.container());
        }
    }
}
