package dev.ward.check.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.CheckResult;
import dev.ward.check.Finding;
import dev.ward.check.RuleInfo;
import dev.ward.check.Suppressed;
import dev.ward.check.Version;
import dev.ward.check.config.Suppression;
import dev.ward.check.rules.Rules;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Pos;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SARIF 2.1.0 ({@code -o sarif}) for GitHub code scanning and other SARIF viewers: one run whose driver
 * lists every rule with its help; one result per finding at the finding's line and column, with a URI
 * relative to {@code %SRCROOT%} (the working directory); suppressed findings carry an external
 * suppression with the reason; input errors become tool execution notifications.
 */
public final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String SRCROOT = "%SRCROOT%";

    private SarifReport() {
    }

    public static String render(CheckResult r, Path cwd) {
        ObjectNode root = JsonReport.MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Ward");
        driver.put("fullName", "Ward posture checker (ward check)");
        driver.put("version", Version.get());
        List<RuleInfo> rules = Rules.infos();
        ArrayNode ruleArray = driver.putArray("rules");
        rules.forEach(info -> rule(ruleArray.addObject(), info));

        String base = cwd.toAbsolutePath().normalize().toUri().toString();
        run.putObject("originalUriBaseIds").putObject(SRCROOT).put("uri", base.endsWith("/") ? base : base + "/");

        ArrayNode results = run.putArray("results");
        r.findings().forEach(f -> result(results.addObject(), f, rules));
        for (Suppressed s : r.suppressed()) {
            ObjectNode res = results.addObject();
            result(res, s.finding(), rules);
            suppression(res.putArray("suppressions").addObject(), s.by());
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", r.errors().isEmpty());
        if (!r.errors().isEmpty()) {
            ArrayNode notes = invocation.putArray("toolExecutionNotifications");
            for (BadInputException e : r.errors()) {
                ObjectNode n = notes.addObject();
                n.put("level", "error");
                n.putObject("message").put("text", e.detail());
                n.putObject("descriptor").put("id", e.code().id());
                location(n.putArray("locations").addObject(), e.file(), e.pos());
            }
        }
        return JsonReport.write(root);
    }

    private static void rule(ObjectNode o, RuleInfo info) {
        o.put("id", info.id());
        o.put("name", info.name());
        o.putObject("shortDescription").put("text", info.title());
        o.putObject("fullDescription").put("text", info.rationale());
        String sh = info.securityHub().isEmpty() ? "" : "\n\nAWS Security Hub: " + String.join(", ", info.securityHub());
        o.putObject("help")
                .put("text", info.rationale() + "\n\nFix: " + info.remediation() + sh)
                .put("markdown", "**Why it matters.** " + info.rationale() + "\n\n**How to fix.** " + info.remediation()
                        + (sh.isEmpty() ? "" : "\n\n**AWS Security Hub:** " + String.join(", ", info.securityHub())));
        o.putObject("defaultConfiguration").put("level", info.severity().sarifLevel());
        ObjectNode props = o.putObject("properties");
        ArrayNode tags = props.putArray("tags").add("security").add("ecs");
        info.securityHub().forEach(id -> tags.add("securityhub/" + id));
        props.put("precision", "high");
        props.put("problem.severity", info.severity().sarifLevel().equals("note") ? "recommendation" : info.severity().sarifLevel());
        if (info.severity().securitySeverity() != null) {
            props.put("security-severity", info.severity().securitySeverity());
        }
        props.put("wardSeverity", info.severity().label());
    }

    private static void result(ObjectNode o, Finding f, List<RuleInfo> rules) {
        o.put("ruleId", f.rule().id());
        o.put("ruleIndex", rules.indexOf(f.rule()));
        o.put("level", f.severity().sarifLevel());
        o.putObject("message").put("text", f.message());
        ObjectNode loc = o.putArray("locations").addObject();
        location(loc, f.file(), f.loc().pos());
        loc.putArray("logicalLocations").addObject().put("fullyQualifiedName", f.loc().path()).put("kind", "member");
        o.putObject("partialFingerprints").put("wardFinding/v1", fingerprint(f));
        ObjectNode props = o.putObject("properties");
        props.put("severity", f.severity().label());
        props.put("resourceKind", f.kind());
        props.put("resource", f.resource());
        if (f.container() != null) {
            props.put("container", f.container());
        }
    }

    private static void suppression(ObjectNode o, Suppression s) {
        o.put("kind", "external");
        o.put("status", "accepted");
        o.put("justification", s.reason());
        location(o.putObject("location"), s.file(), s.pos());
    }

    /** Fills a SARIF location: file URI (relative to %SRCROOT% when it can be) and, when known, the region. */
    private static void location(ObjectNode loc, String file, Pos pos) {
        ObjectNode physical = loc.putObject("physicalLocation");
        ObjectNode artifact = physical.putObject("artifactLocation");
        if (file.startsWith("/")) {
            artifact.put("uri", Path.of(file).toUri().toString());
        } else {
            artifact.put("uri", relativeUri(file)).put("uriBaseId", SRCROOT);
        }
        if (pos != null) {
            physical.putObject("region").put("startLine", pos.line()).put("startColumn", pos.column());
        }
    }

    static String relativeUri(String file) {
        try {
            return new URI(null, null, file, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URI of " + file, e);
        }
    }

    /** Stable across line moves: GitHub uses it to follow an alert when lines above it change. */
    static String fingerprint(Finding f) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest((f.rule().id() + "|" + f.file() + "|" + f.loc().path()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
