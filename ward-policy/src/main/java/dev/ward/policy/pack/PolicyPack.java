package dev.ward.policy.pack;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A curated set of KubeArmorPolicies shipped inside Ward ({@code ward policy pack}, {@code ward run --pack}). Each
 * file holds one policy in Audit; {@link #files(boolean)} with {@code block} turns them into Block policies.
 * The packs are resources beside this class: {@code packs.txt} names them, {@code NAME/index.txt} lists a
 * pack's files.
 *
 * <pre>{@code
 * List<KubeArmorPolicy> rules = PolicyPack.named("default").load(false);
 * }</pre>
 *
 * @param name        what {@code --pack} takes
 * @param description one line for {@code ward policy pack list}
 */
public record PolicyPack(String name, String description) {
    /** The line every pack file has, once: the spec's action. */
    static final String AUDIT = "\n  action: Audit\n";
    private static final String BLOCK = "\n  action: Block\n";

    /** Every pack, in the order {@code packs.txt} lists them. */
    public static List<PolicyPack> all() {
        List<PolicyPack> out = new ArrayList<>();
        for (String line : lines("packs.txt")) {
            int space = line.indexOf(' ');
            out.add(new PolicyPack(line.substring(0, space), line.substring(space + 1).strip()));
        }
        return List.copyOf(out);
    }

    /** The pack called {@code name}; IllegalArgumentException naming the packs there are when there is none. */
    public static PolicyPack named(String name) {
        for (PolicyPack p : all()) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no policy pack '" + name + "' (expected one of: "
                + String.join(", ", all().stream().map(PolicyPack::name).toList()) + ")");
    }

    /** The pack's files, in Audit or, with {@code block}, in Block. */
    public List<PackFile> files(boolean block) {
        List<PackFile> out = new ArrayList<>();
        for (String file : lines(name + "/index.txt")) {
            String yaml = text(name + "/" + file);
            out.add(new PackFile(file, block ? yaml.replace(AUDIT, BLOCK) : yaml));
        }
        return List.copyOf(out);
    }

    /** The pack's policies, parsed and checked as {@code ward policy lint} does; positions name {@code pack:NAME/FILE}. */
    public List<KubeArmorPolicy> load(boolean block) throws PolicyException {
        List<KubeArmorPolicy> out = new ArrayList<>();
        for (PackFile f : files(block)) {
            out.addAll(PolicyLoader.parse(f.yaml(), "pack:" + name + "/" + f.fileName()));
        }
        return List.copyOf(out);
    }

    /** A resource's lines without comments and blank lines. */
    private static List<String> lines(String resource) {
        return text(resource).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String text(String resource) {
        try (InputStream in = PolicyPack.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the policy pack resource " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy pack resource " + resource, e);
        }
    }

    /**
     * One policy file of a pack.
     *
     * @param fileName its name, also the name {@code ward policy pack apply --dir} writes it under
     * @param yaml     its text
     */
    public record PackFile(String fileName, String yaml) {
    }
}
