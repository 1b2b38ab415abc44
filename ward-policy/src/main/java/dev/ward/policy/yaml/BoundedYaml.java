package dev.ward.policy.yaml;

import java.util.Iterator;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ParserException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The one way Ward composes YAML: snakeyaml's composer fed through {@link LimitedParser}, so that every reader
 * (policies, {@code ward check}, {@code ward inject}, the relay) refuses the same hostile inputs with a position
 * instead of hanging, looping or overflowing the stack: recursive aliases and merge keys, nesting beyond
 * {@link InputLimits#maxDepth()}, alias bombs, oversized text, slow reads.
 *
 * <p>Errors are snakeyaml's {@code MarkedYamlEngineException} ({@link YamlLimitException} for a limit), thrown
 * while the returned nodes are iterated, as snakeyaml's own {@code Compose} does: documents before a bad one are
 * still returned, so that a linter can report their problems too.
 *
 * <pre>{@code
 * LoadSettings s = BoundedYaml.settings("policy.yaml").setAllowDuplicateKeys(true).build();
 * for (Node doc : BoundedYaml.composeAll(text, s)) { ... }
 * }</pre>
 */
public final class BoundedYaml {
    private BoundedYaml() {
    }

    /**
     * Settings with the YAML 1.2 core schema and the limits snakeyaml itself enforces set to Ward's; callers add
     * their own options (comments, duplicate keys) and build.
     */
    public static LoadSettingsBuilder settings(String label) {
        return LoadSettings.builder()
                .setLabel(label)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(InputLimits.DEFAULT.maxAliases())
                .setCodePointLimit(InputLimits.DEFAULT.maxChars())
                .setAllowRecursiveKeys(false);
    }

    /** Every document of {@code text}, lazily, within {@link InputLimits#DEFAULT}. */
    public static Iterable<Node> composeAll(String text, LoadSettings settings) {
        return composeAll(text, settings, InputLimits.DEFAULT);
    }

    /** Every document of {@code text}, lazily, within {@code limits}. The result can be iterated once. */
    public static Iterable<Node> composeAll(String text, LoadSettings settings, InputLimits limits) {
        Documents docs = new Documents(text, settings, limits);
        return () -> docs;
    }

    /** The single document of {@code text} (empty for an empty stream); more than one is an error. */
    public static Optional<Node> compose(String text, LoadSettings settings) {
        Documents docs = new Documents(text, settings, InputLimits.DEFAULT);
        return docs.positioned(docs.composer::getSingleNode);
    }

    /**
     * The composer over the limited event stream, whose every error has a position: snakeyaml reports a few
     * without one (a control character, a YAML version it does not read), and a user needs the place to fix.
     */
    private static final class Documents implements Iterator<Node> {
        private final String text;
        private final String label;
        private final LimitedParser events;
        private final Composer composer;

        Documents(String text, LoadSettings settings, InputLimits limits) {
            checkSize(text, settings.getLabel(), limits);
            this.text = text;
            this.label = settings.getLabel();
            this.events = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)), limits,
                    settings.getSchema().getScalarResolver());
            this.composer = new Composer(settings, events);
        }

        @Override
        public boolean hasNext() {
            return positioned(composer::hasNext);
        }

        @Override
        public Node next() {
            return positioned(composer::next);
        }

        <T> T positioned(java.util.function.Supplier<T> step) {
            try {
                return step.get();
            } catch (ReaderException e) {
                int at = text.offsetByCodePoints(0, Math.min(e.getPosition(), text.codePointCount(0, text.length())));
                throw new ParserException(null, Optional.empty(), String.format("character U+%04X is not allowed "
                        + "(expected printable Unicode text)", e.getCodePoint()), Optional.of(mark(label, text, at)));
            } catch (MarkedYamlEngineException e) {
                throw e;
            } catch (YamlEngineException e) {
                throw new ParserException(null, Optional.empty(), e.getMessage(), events.lastMark());
            }
        }
    }

    /** Refuses text over the size limit before reading any of it, pointing at the first character beyond it. */
    private static void checkSize(String text, String label, InputLimits limits) {
        if (text.length() <= limits.maxChars()) {
            return;
        }
        throw new YamlLimitException("the text is longer than " + limits.maxChars() + " characters (expected at most "
                + (limits.maxChars() >= 1 << 20 ? (limits.maxChars() >> 20) + " MiB" : limits.maxChars() + " characters")
                + " of YAML)", Optional.of(mark(label, text, limits.maxChars())));
    }

    /** A mark at the UTF-16 offset {@code at} of {@code text}, with its line as the snippet. */
    private static Mark mark(String label, String text, int at) {
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int line = (int) text.substring(0, lineStart).chars().filter(c -> c == '\n').count();
        int lineEnd = text.indexOf('\n', at);
        String shown = text.substring(lineStart, Math.min(lineEnd < 0 ? text.length() : lineEnd, lineStart + 200));
        int[] points = shown.codePoints().toArray();
        return new Mark(label, at, line, at - lineStart, points, Math.min(points.length, at - lineStart));
    }
}
