package dev.ward.policy.testing;

/**
 * KubeArmorPolicy YAML for tests in every module, so that none pastes the document header. A test gives the
 * policy's name, which containers it selects and the spec body; the builder writes the rest.
 *
 * <pre>{@code
 * String yaml = PolicyYaml.named("block-shadow").container("web").spec("""
 *         file:
 *           matchPaths:
 *           - path: /etc/shadow
 *         action: Block
 *         """);
 * }</pre>
 *
 * <p>The layout is fixed because tests assert error positions: with {@link #container} the header takes lines 1 to
 * 8 and the spec body starts on line 9, indented two spaces under {@code spec:}. Documents that test the header
 * itself (a wrong apiVersion, a missing selector) are written out in their tests.
 */
public final class PolicyYaml {
    public static final String API_VERSION = "security.kubearmor.com/v1";

    private final String name;
    private String selector;

    private PolicyYaml(String name) {
        this.name = name;
    }

    /** A policy called {@code name}; say what it selects with {@link #container} or {@link #selector}. */
    public static PolicyYaml named(String name) {
        return new PolicyYaml(name);
    }

    /** A policy that blocks access to the file {@code path} in container {@code container}. */
    public static String blockFile(String name, String container, String path) {
        return named(name).container(container).spec("""
                file:
                  matchPaths:
                  - path: %s
                action: Block
                """.formatted(path));
    }

    /** Selects the container called {@code container} ({@code *}: every container). */
    public PolicyYaml container(String container) {
        String value = container.equals("*") ? "'*'" : container;
        return selector("matchLabels:\n  kubearmor.io/container.name: " + value + "\n");
    }

    /** The selector's body as YAML (matchLabels, matchExpressions), written from column 0. */
    public PolicyYaml selector(String body) {
        this.selector = body;
        return this;
    }

    /** The whole document: the header, the selector and {@code body} (the spec's other fields, from column 0). */
    public String spec(String body) {
        if (selector == null) {
            throw new IllegalStateException("policy " + name + ": no selector (call container or selector first)");
        }
        return "apiVersion: " + API_VERSION + "\n"
                + "kind: KubeArmorPolicy\n"
                + "metadata:\n"
                + "  name: " + name + "\n"
                + "spec:\n"
                + "  selector:\n"
                + selector.indent(4)
                + body.indent(2);
    }
}
