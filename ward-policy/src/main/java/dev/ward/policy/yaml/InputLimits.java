package dev.ward.policy.yaml;

import java.time.Duration;

/**
 * How much input Ward's readers accept: every YAML document (policies, task definitions, CloudFormation,
 * Kubernetes manifests) and the JSON readers that share the depth limit. Beyond a limit the reader answers with
 * a positioned error instead of running out of stack, memory or time.
 *
 * <p>Why these numbers: real inputs are far below them (a KubeArmorPolicy nests about 6 levels, a CloudFormation
 * template about 15, the largest CloudFormation template AWS takes is 1 MB), while the launcher's 256 KiB thread
 * stacks still have room for the recursive readers at the depth limit.
 *
 * @param maxChars   characters of text (the whole stream, every document)
 * @param maxDepth   nesting of mappings and sequences, counted with aliases expanded
 * @param maxNodes   nodes of one document with aliases expanded, so that a few aliases cannot stand for
 *                   billions of nodes
 * @param maxAliases aliases to mappings and sequences in one document
 * @param timeout    wall-clock time for reading the whole stream
 */
public record InputLimits(int maxChars, int maxDepth, long maxNodes, int maxAliases, Duration timeout) {
    /**
     * Characters of one number (YAML and JSON), as Jackson's default: parsing a longer one into BigInteger or
     * BigDecimal takes quadratic time (a megabyte of digits, half a minute).
     */
    public static final int MAX_NUMBER_CHARS = 1000;

    /** The limits every reader uses. */
    public static final InputLimits DEFAULT = new InputLimits(4 << 20, 100, 1_000_000, 50, Duration.ofSeconds(10));
}
