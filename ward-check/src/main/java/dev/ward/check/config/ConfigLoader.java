package dev.ward.check.config;

import dev.ward.check.rules.Glob;
import dev.ward.check.rules.Rules;
import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import dev.ward.taskdef.source.YamlSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads .ward-check.yaml strictly: unknown keys, missing reasons and unknown rule ids are errors with their place. */
public final class ConfigLoader {
    public static final String FILE_NAME = ".ward-check.yaml";
    private static final Set<String> TOP = Set.of("trustedRegistries", "suppressions");
    private static final Set<String> ENTRY = Set.of("rule", "path", "reason");

    private final String file;
    private final String text;
    private final List<BadInputException> problems = new ArrayList<>();

    private ConfigLoader(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * @param file the configuration file's name for messages
     * @param text its contents
     */
    public static CheckConfig parse(String file, String text) throws ConfigException {
        if (text.isBlank()) {
            return CheckConfig.empty();
        }
        ConfigLoader l = new ConfigLoader(file, text);
        Node root;
        try {
            root = YamlSource.parse(text, file);
        } catch (BadInputException e) {
            throw new ConfigException(List.of(e));
        }
        CheckConfig config = l.read(root);
        if (!l.problems.isEmpty()) {
            throw new ConfigException(l.problems);
        }
        return config;
    }

    private CheckConfig read(Node root) {
        if (!(root instanceof ObjNode o)) {
            problem(root, "the configuration is not a mapping (expected trustedRegistries: and/or suppressions:)");
            return CheckConfig.empty();
        }
        unknownKeys(o, TOP, "trustedRegistries or suppressions");
        List<String> registries = new ArrayList<>();
        for (Node n : list(o, "trustedRegistries")) {
            String s = string(n, "a registry pattern");
            if (s != null) {
                registries.add(s);
            }
        }
        List<Suppression> suppressions = new ArrayList<>();
        for (Node n : list(o, "suppressions")) {
            Suppression s = suppression(n);
            if (s != null) {
                suppressions.add(s);
            }
        }
        return new CheckConfig(registries, suppressions);
    }

    private Suppression suppression(Node n) {
        if (!(n instanceof ObjNode e)) {
            problem(n, "a suppression is not a mapping (expected rule:, path: and reason:)");
            return null;
        }
        unknownKeys(e, ENTRY, "rule, path or reason");
        String rule = e.get("rule").map(r -> string(r, "a rule id")).orElse(null);
        String path = e.get("path").map(p -> string(p, "a glob")).orElse(null);
        String reason = e.get("reason").map(r -> string(r, "the reason")).orElse(null);
        boolean ok = true;
        if (rule == null) {
            if (e.get("rule").isEmpty()) {
                problem(e, "suppression has no rule (expected rule: WARD-ECS-NNN)");
            }
            ok = false;
        } else if (Rules.infos().stream().noneMatch(i -> Glob.of(rule).matches(i.id()))) {
            problem(e.get("rule").get(), "no rule matches \"" + rule + "\" (expected an id such as WARD-ECS-004)");
            ok = false;
        }
        if (reason == null || reason.isBlank()) {
            if (reason != null || e.get("reason").isEmpty()) {
                problem(e, "suppression has no reason (expected reason: why this finding is accepted)");
            }
            ok = false;
        }
        return ok ? new Suppression(Glob.of(rule), path == null ? null : Glob.of(path), reason.trim(), file, e.pos()) : null;
    }

    private List<Node> list(ObjNode o, String key) {
        Node n = o.get(key).orElse(null);
        if (n == null || (n instanceof ValNode v && v.value() == null)) {
            return List.of();
        }
        if (n instanceof ArrNode a) {
            return a.items();
        }
        problem(n, "\"" + key + "\" is not a list (expected a list of entries, each starting with '- ')");
        return List.of();
    }

    private String string(Node n, String what) {
        if (n instanceof ValNode v && v.tag() == null && v.value() instanceof String s) {
            return s;
        }
        problem(n, "expected " + what + " as text");
        return null;
    }

    private void unknownKeys(ObjNode o, Set<String> allowed, String expected) {
        for (Map.Entry<String, Node> m : o.members().entrySet()) {
            if (!allowed.contains(m.getKey())) {
                problem(m.getValue(), "unknown key \"" + m.getKey() + "\" (expected " + expected + ")");
            }
        }
    }

    private void problem(Node n, String detail) {
        problems.add(BadInputException.at(file, text, n.pos(), ErrorCode.CONFIG, detail));
    }
}
