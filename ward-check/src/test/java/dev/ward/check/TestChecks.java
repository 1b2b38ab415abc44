package dev.ward.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.check.rules.RuleContext;
import dev.ward.taskdef.source.BadInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Small fixtures for rule tests: a task definition and a service on which no rule fires, to be changed
 * one field at a time, and helpers that run every rule on a document held in memory.
 */
public final class TestChecks {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String DIGEST = "sha256:" + "ab".repeat(32);
    public static final String GOOD_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app@" + DIGEST;

    private TestChecks() {
    }

    /** A Fargate task definition with one container, "app", that passes every rule. */
    public static ObjectNode task() {
        ObjectNode td = JSON.createObjectNode();
        td.put("family", "app");
        td.put("networkMode", "awsvpc");
        td.putArray("requiresCompatibilities").add("FARGATE");
        td.put("executionRoleArn", "arn:aws:iam::111122223333:role/app-exec");
        td.put("taskRoleArn", "arn:aws:iam::111122223333:role/app");
        ObjectNode c = td.putArray("containerDefinitions").addObject();
        c.put("name", "app");
        c.put("image", GOOD_IMAGE);
        c.put("essential", true);
        c.put("user", "1000:1000");
        c.put("readonlyRootFilesystem", true);
        c.putObject("logConfiguration").put("logDriver", "awslogs");
        c.putObject("healthCheck").putArray("command").add("CMD").add("/app/healthy");
        c.putArray("entryPoint").add("/ward/bin/ward").add("run").add("/app/server");
        return td;
    }

    /** The first container of {@code td}. */
    public static ObjectNode app(ObjectNode td) {
        return (ObjectNode) td.withArray("containerDefinitions").get(0);
    }

    /** {@link #task()} with its container changed by {@code edit}. */
    public static ObjectNode taskWith(Consumer<ObjectNode> edit) {
        ObjectNode td = task();
        edit.accept(app(td));
        return td;
    }

    /** A create-service input that passes every rule. */
    public static ObjectNode service() {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceName", "app");
        s.put("cluster", "prod");
        s.put("launchType", "FARGATE");
        s.put("taskDefinition", "app");
        s.putObject("networkConfiguration").putObject("awsvpcConfiguration")
                .put("assignPublicIp", "DISABLED").putArray("subnets").add("subnet-0123");
        return s;
    }

    public static List<Finding> check(ObjectNode doc) {
        return check("input.json", doc.toPrettyString());
    }

    public static List<Finding> check(String file, String text) {
        return check(file, text, RuleContext.defaults());
    }

    public static List<Finding> check(String file, String text, RuleContext ctx) {
        try {
            return new Checker(ctx, List.of(), Path.of(".")).checkText(file, text);
        } catch (BadInputException e) {
            throw new AssertionError("fixture does not parse: " + e.render(), e);
        }
    }

    /** The findings of one rule. */
    public static List<Finding> only(String ruleId, List<Finding> findings) {
        return findings.stream().filter(f -> f.rule().id().equals(ruleId)).toList();
    }

    public static List<Finding> check(String ruleId, ObjectNode doc) {
        return only(ruleId, check(doc));
    }
}
