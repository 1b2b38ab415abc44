package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells what a parsed document is from its top-level keys, and reads it.
 *
 * <ul>
 *   <li>{@code {"taskDefinition": {"containerDefinitions": ...}}}: describe-task-definition output</li>
 *   <li>{@code {"containerDefinitions": ...}}: register-task-definition input</li>
 *   <li>{@code Resources} or {@code AWSTemplateFormatVersion}: a CloudFormation template</li>
 *   <li>{@code format_version} with {@code planned_values} or {@code values}: terraform show -json</li>
 *   <li>{@code {"service": {...}}} / {@code {"services": [...]}}: create/describe-services output</li>
 *   <li>{@code apiVersion} and {@code kind}: Kubernetes manifests (see {@link KubernetesReader})</li>
 *   <li>{@code serviceName}, or a {@code taskDefinition} string beside cluster/launchType/networkConfiguration
 *       /desiredCount: create-service input</li>
 * </ul>
 */
public final class Detector {
    private static final Pattern TOP_KEY = Pattern.compile("(?m)^\"?([A-Za-z][A-Za-z0-9]*)\"?\\s*:");
    private static final Pattern JSON_KEY = Pattern.compile("\"(AWSTemplateFormatVersion|Resources|containerDefinitions"
            + "|taskDefinition|family|apiVersion|kind)\"\\s*:");

    private Detector() {
    }

    /**
     * What a document is from its text alone, before it is parsed, with the same keys as {@link #read}: for a tool
     * that rewrites the bytes it was given (ward inject) and must name a broken document's format to report it in
     * that format's terms. JSON: a template has AWSTemplateFormatVersion or Resources, a task definition
     * containerDefinitions or taskDefinition ({@link InputKind#TASK_DEFINITION} for both forms), Kubernetes
     * apiVersion and kind. YAML: the same keys at the start of a line (top level); a task definition in YAML is not
     * an ECS input, so it is not recognised.
     */
    public static Optional<InputKind> guess(String text) {
        boolean json = text.stripLeading().startsWith("{");
        boolean cfn = false;
        boolean ecs = false;
        boolean apiVersion = false;
        boolean kind = false;
        Matcher m = (json ? JSON_KEY : TOP_KEY).matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "AWSTemplateFormatVersion", "Resources" -> cfn = true;
                case "containerDefinitions", "taskDefinition" -> ecs = true;
                case "apiVersion" -> apiVersion = true;
                case "kind" -> kind = true;
                default -> { }
            }
        }
        if (cfn) {
            return Optional.of(InputKind.CLOUDFORMATION);
        }
        if (json && ecs) {
            return Optional.of(InputKind.TASK_DEFINITION);
        }
        if (apiVersion && kind) {
            return Optional.of(InputKind.KUBERNETES);
        }
        return Optional.empty();
    }

    /**
     * What the documents of one file are: Kubernetes manifests (every document an object with apiVersion and kind;
     * the only input of several documents), else the one document as below.
     */
    public static Input read(Src src, List<Node> docs) throws BadInputException {
        boolean kubernetes = docs.stream().allMatch(d -> d instanceof ObjNode o && KubernetesReader.looksLike(o));
        if (kubernetes) {
            return new Input.Recognised(InputKind.KUBERNETES, KubernetesReader.read(src, docs));
        }
        if (docs.size() > 1) {
            return new Input.NotRecognised(docs.size() + " YAML documents, not all of them Kubernetes objects (apiVersion "
                    + "and kind); the other inputs are one document each");
        }
        return read(src, docs.getFirst());
    }

    public static Input read(Src src, Node root) throws BadInputException {
        if (!(root instanceof ObjNode o)) {
            return new Input.NotRecognised("the top level is not an object");
        }
        Optional<ObjNode> described = TaskDefinitions.described(o);
        if (described.isPresent()) {
            return new Input.Recognised(InputKind.TASK_DEFINITION_DESCRIBED,
                    List.of(EcsReader.taskDef(src, described.get(), Dialect.ECS, family(src, described.get()))));
        }
        if (o.has("containerDefinitions")) {
            return new Input.Recognised(InputKind.TASK_DEFINITION,
                    List.of(EcsReader.taskDef(src, o, Dialect.ECS, family(src, o))));
        }
        if (TerraformReader.looksLike(o)) {
            return new Input.Recognised(InputKind.TERRAFORM, TerraformReader.read(src, o));
        }
        if (CloudFormationReader.looksLike(o)) {
            return new Input.Recognised(InputKind.CLOUDFORMATION, CloudFormationReader.read(src, o));
        }
        Optional<ObjNode> one = o.obj("service");
        if (one.isPresent()) {
            return new Input.Recognised(InputKind.SERVICE, List.of(service(src, one.get())));
        }
        if (o.arr("services").isPresent()) {
            List<Resource> services = new ArrayList<>();
            for (ObjNode s : Read.objects(src, o, "services")) {
                services.add(service(src, s));
            }
            return new Input.Recognised(InputKind.SERVICE, services);
        }
        boolean taskDefRef = o.get("taskDefinition").filter(ValNode.class::isInstance).isPresent();
        boolean serviceKeys = o.has("cluster") || o.has("launchType") || o.has("networkConfiguration")
                || o.has("desiredCount");
        if (o.has("serviceName") || (taskDefRef && serviceKeys)) {
            return new Input.Recognised(InputKind.SERVICE, List.of(service(src, o)));
        }
        return new Input.NotRecognised("no containerDefinitions, serviceName, Resources or planned_values at the top level");
    }

    private static Service service(Src src, ObjNode s) throws BadInputException {
        String name = Read.scalar(src, s, "serviceName").flatMap(Field::literal).orElse("service");
        return EcsReader.service(src, s, Dialect.ECS, name);
    }

    private static String family(Src src, ObjNode td) throws BadInputException {
        return Read.scalar(src, td, "family").flatMap(Field::literal).orElse("task definition");
    }
}
