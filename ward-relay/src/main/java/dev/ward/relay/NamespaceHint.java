package dev.ward.relay;

import java.util.List;

/**
 * The hint for a policy name asked for in one namespace that exists in others: policies are keyed by
 * namespace and name, as in Kubernetes, and {@code ward policy list} shows them as NAMESPACE/NAME.
 */
final class NamespaceHint {
    private NamespaceHint() {
    }

    /** "; it exists in namespace default: ward policy get -n default NAME (or default/NAME)"; "" for none. */
    static String of(List<String> namespaces, String name, String verb) {
        if (namespaces.isEmpty()) {
            return "";
        }
        String first = namespaces.getFirst();
        String example = first.isEmpty() ? "ward policy " + verb + " " + name
                : "ward policy " + verb + " -n " + first + " " + name + " (or " + first + "/" + name + ")";
        List<String> shown = namespaces.stream().map(n -> n.isEmpty() ? "(none)" : n).toList();
        return "; it exists in namespace" + (shown.size() == 1 ? " " : "s ") + String.join(", ", shown) + ": "
                + example;
    }
}
