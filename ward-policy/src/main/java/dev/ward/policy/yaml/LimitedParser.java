package dev.ward.policy.yaml;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * The event stream between snakeyaml's parser and its composer, checked against {@link InputLimits} as the
 * composer consumes it, so that a document is refused before the composer recurses or loops on it.
 *
 * <p>Why here: the composer recurses once per nesting level (a stack overflow on deep input) and flattens merge
 * keys in a loop that never ends when a merge key names the mapping that contains it ({@code a: &s} then
 * {@code <<: *s}). Both are visible in the events before the composer acts on them: an alias whose anchor is still
 * open is recursive, and the depth is the number of open collections. Aliases are counted with what they stand
 * for (size and height of the anchored node, recorded when it ends), so the limits hold for the expanded tree that
 * the readers walk, not only for the text.
 *
 * <p>Not thread-safe: one instance per stream, used by the composer's thread.
 */
final class LimitedParser implements Parser {
    /** The size and height of a complete anchored node; {@code size < 0} while it is still open. */
    private record Shape(long size, int height, boolean collection, Mark at) {
        boolean open() {
            return size < 0;
        }
    }

    /** A mapping or sequence being read: its anchor's open shape, and what its content adds up to so far. */
    private static final class Frame {
        final Anchor anchor;
        final Shape openShape;
        long size = 1;
        int childHeight;

        Frame(Anchor anchor, Shape openShape) {
            this.anchor = anchor;
            this.openShape = openShape;
        }
    }

    private final Parser in;
    private final InputLimits limits;
    private final ScalarResolver resolver;
    private final long start = System.nanoTime();
    private final ArrayDeque<Frame> open = new ArrayDeque<>();
    private final Map<Anchor, Shape> anchors = new HashMap<>();
    private long nodes;
    private int aliases;
    private boolean afterMergeKey;
    private Optional<Mark> last = Optional.empty();

    LimitedParser(Parser in, InputLimits limits, ScalarResolver resolver) {
        this.in = in;
        this.limits = limits;
        this.resolver = resolver;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return in.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return in.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return in.hasNext();
    }

    @Override
    public Event next() {
        Event e = in.next();
        Optional<Mark> at = e.getStartMark();
        last = at.isPresent() ? at : last;
        if (System.nanoTime() - start > limits.timeout().toNanos()) {
            throw new YamlLimitException("reading took longer than " + limits.timeout().toSeconds()
                    + " s (expected a document Ward can read in that time)", at);
        }
        boolean mergeKey = false;
        switch (e.getEventId()) {
            case DocumentStart -> {
                open.clear();
                anchors.clear();
                nodes = 0;
                aliases = 0;
            }
            case MappingStart, SequenceStart -> startCollection((NodeEvent) e, at);
            case MappingEnd, SequenceEnd -> endCollection();
            case Scalar -> {
                ScalarEvent s = (ScalarEvent) e;
                checkNumber(s, at);
                count(1, at);
                nest(1, 0);
                s.getAnchor().ifPresent(a -> anchors.put(a, new Shape(1, 0, false, at.orElse(null))));
                mergeKey = s.getScalarStyle() == ScalarStyle.PLAIN && s.getValue().equals("<<");
            }
            case Alias -> alias((AliasEvent) e, at);
            default -> {
            }
        }
        afterMergeKey = mergeKey;
        return e;
    }

    /** Where the last event began: the place for an error snakeyaml reports without one. */
    Optional<Mark> lastMark() {
        return last;
    }

    /**
     * Readers turn numbers into BigInteger or BigDecimal, whose parsing takes quadratic time: a megabyte of digits
     * would take minutes. Longer numbers are refused, as Jackson refuses them in JSON.
     */
    private void checkNumber(ScalarEvent s, Optional<Mark> at) {
        if (s.getValue().length() <= InputLimits.MAX_NUMBER_CHARS) {
            return;
        }
        String tag = s.getTag().orElse(null);
        Tag t = tag != null ? new Tag(tag) : s.isPlain() ? resolver.resolve(s.getValue(), true) : Tag.STR;
        if (t.equals(Tag.INT) || t.equals(Tag.FLOAT)) {
            throw new YamlLimitException("a number of " + s.getValue().length() + " characters (expected at most "
                    + InputLimits.MAX_NUMBER_CHARS + "; quote it if it is text)", at);
        }
    }

    private void startCollection(NodeEvent e, Optional<Mark> at) {
        if (open.size() + 1 > limits.maxDepth()) {
            throw new YamlLimitException("nesting deeper than " + limits.maxDepth() + " levels (expected at most "
                    + limits.maxDepth() + " mappings and sequences inside each other)", at);
        }
        count(1, at);
        Anchor a = e.getAnchor().orElse(null);
        Shape shape = null;
        if (a != null) {
            shape = new Shape(-1, 0, true, at.orElse(null));
            anchors.put(a, shape);
        }
        open.push(new Frame(a, shape));
    }

    private void endCollection() {
        Frame f = open.pop();
        int height = f.childHeight + 1;
        // Only when the anchor was not defined again inside: an alias names the latest definition.
        if (f.anchor != null && anchors.get(f.anchor) == f.openShape) {
            anchors.put(f.anchor, new Shape(f.size, height, true, f.openShape.at()));
        }
        nest(f.size, height);
    }

    private void alias(AliasEvent e, Optional<Mark> at) {
        Shape s = anchors.get(e.getAlias());
        if (s == null) {
            return; // the composer reports the undefined alias with its position
        }
        String name = e.getAlias().getValue();
        if (s.open()) {
            String where = s.at() == null ? "" : " at line " + (s.at().getLine() + 1) + ", column "
                    + (s.at().getColumn() + 1);
            throw new YamlLimitException((afterMergeKey ? "merge key <<: *" + name + " merges" : "alias *" + name
                    + " refers to") + " the node anchored &" + name + where + ", which contains it: a recursive "
                    + "structure (expected an alias to a node that ends before the alias)", at);
        }
        if (s.collection() && ++aliases > limits.maxAliases()) {
            throw new YamlLimitException("more than " + limits.maxAliases() + " aliases to mappings or sequences "
                    + "(expected at most " + limits.maxAliases() + " in one document)", at);
        }
        if (open.size() + s.height() > limits.maxDepth()) {
            throw new YamlLimitException("alias *" + name + " nests deeper than " + limits.maxDepth()
                    + " levels once expanded (expected at most " + limits.maxDepth()
                    + " mappings and sequences inside each other)", at);
        }
        count(s.size(), at);
        nest(s.size(), s.height());
    }

    /**
     * Adds a node (or an alias's expansion) of {@code size} nodes and {@code height} levels of mappings and
     * sequences (0 for a scalar) to the collection that holds it.
     */
    private void nest(long size, int height) {
        Frame parent = open.peek();
        if (parent != null) {
            parent.size += size;
            parent.childHeight = Math.max(parent.childHeight, height);
        }
    }

    private void count(long size, Optional<Mark> at) {
        nodes += size;
        if (nodes > limits.maxNodes()) {
            throw new YamlLimitException("the document has more than " + limits.maxNodes() + " nodes with its "
                    + "aliases expanded (expected at most " + limits.maxNodes() + ")", at);
        }
    }
}
