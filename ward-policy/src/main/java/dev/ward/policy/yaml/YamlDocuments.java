package dev.ward.policy.yaml;

import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The documents of one policy text, composed within {@link InputLimits} with positions kept, empty ones skipped;
 * YAML errors become problems (documents before a bad one are still handed over, so that all problems show).
 */
final class YamlDocuments {
    private YamlDocuments() {
    }

    /** Calls {@code each} for every non-empty document; {@code expected} names what a document should be. */
    static void forEach(String text, Problems p, String expected, Consumer<Node> each) {
        LoadSettings settings = BoundedYaml.settings(p.file()).setAllowDuplicateKeys(true).build();
        try {
            for (Node doc : BoundedYaml.composeAll(text, settings)) {
                if (Values.isNull(doc)) {
                    continue; // an empty document, e.g. after a trailing "---"
                }
                each.accept(doc);
            }
        } catch (YamlLimitException e) {
            p.at(e.getProblemMark().orElse(null), ErrorCode.LIMIT, e.getProblem());
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            p.at(e.getProblemMark().orElse(e.getContextMark().orElse(null)), ErrorCode.SYNTAX,
                    context + e.getProblem() + " (expected valid YAML)");
        } catch (YamlEngineException e) {
            p.add(0, 0, ErrorCode.SYNTAX, e.getMessage() + " (expected valid YAML)");
        } catch (StackOverflowError e) {
            // The limits keep nesting far below what overflows the stack; kept as the last line of defence,
            // because the agent reads policies and must not die of one.
            p.add(0, 0, ErrorCode.SYNTAX, "the document is nested too deeply (expected " + expected + ")");
        }
    }
}
