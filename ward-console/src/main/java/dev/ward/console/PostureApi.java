package dev.ward.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ward.check.CheckResult;
import dev.ward.check.Checker;
import dev.ward.check.Finding;
import dev.ward.check.report.SarifReport;
import dev.ward.check.rules.RuleContext;
import dev.ward.taskdef.InputKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code POST /api/posture}: {@code ward check} on a pasted or uploaded task definition, service, CloudFormation
 * template, terraform output or Kubernetes manifest. The content is written under its file name to a private
 * directory and checked there by ward check's own {@link Checker} with its default settings, so the findings (and
 * the SARIF of {@code ?format=sarif}) are the ones {@code ward check FILE} gives.
 */
final class PostureApi implements Api.Area {
    private static final String DEFAULT_NAME = "task.json";

    @Override
    public boolean handle(HttpExchange ex, String method, String path, Sessions.Session session) throws IOException {
        if (!path.equals("/api/posture")) {
            return false;
        }
        Api.require(method, "POST", path);
        JsonNode body = Http.body(ex);
        String content = Http.text(body, "content");
        String name = fileName(body.path("filename").asText(DEFAULT_NAME));
        boolean sarif = "sarif".equals(Http.query(ex).get("format"));
        Path dir = Files.createTempDirectory("ward-console-check");
        try {
            Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
            CheckResult result = new Checker(RuleContext.defaults(), List.of(), dir).run(List.of(Path.of(name)));
            if (!result.errors().isEmpty()) {
                throw new ApiError(422, result.errors().getFirst().render());
            }
            if (result.checked().isEmpty()) {
                throw new ApiError(422, name + ": found no ECS task definition, service, CloudFormation template, "
                        + "terraform show -json output or Kubernetes manifest"
                        + (result.skipped().isEmpty() ? "" : " (" + result.skipped().getFirst().reason() + ")"));
            }
            if (sarif) {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"ward-check.sarif\"");
                Http.send(ex, 200, "application/sarif+json",
                        SarifReport.render(result, dir).getBytes(StandardCharsets.UTF_8));
            } else {
                Http.json(ex, 200, findings(result));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return true;
    }

    private static ObjectNode findings(CheckResult result) {
        ObjectNode body = Http.JSON.createObjectNode().put("input", input(result.checked().getFirst().kind()));
        ArrayNode list = body.putArray("findings");
        for (Finding f : result.findings()) {
            ObjectNode n = list.addObject().put("rule", f.rule().id()).put("severity", f.severity().label())
                    .put("title", f.rule().title()).put("message", f.message()).put("help", f.rule().remediation())
                    .put("rationale", f.rule().rationale()).put("resource", f.resource()).put("container", f.container());
            ObjectNode at = n.putObject("location").put("path", f.loc().path());
            if (f.loc().pos() != null) {
                at.put("line", f.loc().pos().line()).put("column", f.loc().pos().column());
            }
        }
        return body;
    }

    /** ecs-task-definition, ecs-service, cloudformation, terraform, kubernetes, ... from ward check's description. */
    private static String input(String described) {
        for (InputKind k : InputKind.values()) {
            if (k.describe().equals(described)) {
                String slug = k.name().toLowerCase(Locale.ROOT).replace('_', '-');
                return slug.startsWith("task-definition") || slug.equals("service") ? "ecs-" + slug : slug;
            }
        }
        return described;
    }

    /** The base name given, when it is a plain file name; else the default. */
    private static String fileName(String given) {
        String base = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
        return base.matches("[A-Za-z0-9._ -]{1,100}") && !base.startsWith(".") ? base : DEFAULT_NAME;
    }
}
