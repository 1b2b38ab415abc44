package dev.ward.relay;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.StoredPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request's YAML into one {@link PolicyRegistry.Entry} per document, or the reason it cannot.
 * Runs on the caller's thread with no lock held: parsing is the one step whose time the input decides (a
 * pathological document once kept a relay thread busy inside the registry's lock, and every later policy
 * change waited for it).
 */
final class PolicyParsing {
    /** The parser of both kinds; {@link PolicyLoader#parseAll} outside tests. */
    interface Parser {
        PolicyFiles parse(String yaml, String origin) throws PolicyException;
    }

    /** Either the documents' entries (not stored yet: version 0) or an Invalid result. */
    record Parsed(List<PolicyRegistry.Entry> entries, PolicyResult invalid) {
    }

    private PolicyParsing() {
    }

    static Parsed parse(Parser parser, String yaml, String origin) {
        String where = origin == null || origin.isBlank() ? "request" : origin;
        try {
            parser.parse(yaml, where); // every problem of every document, with positions
        } catch (PolicyException e) {
            return invalid(inReadingOrder(e).format());
        }
        List<PolicyRegistry.Entry> parsed = new ArrayList<>();
        for (PolicyDocuments.Doc d : PolicyDocuments.split(yaml)) {
            try {
                PolicyFiles f = parser.parse(d.positioned(), where);
                for (KubeArmorPolicy k : f.kubeArmor()) {
                    parsed.add(new PolicyRegistry.Entry(new StoredPolicy(StoredPolicy.KUBEARMOR, k.namespace(),
                            k.name(), d.text(), 0, 0), k, null));
                }
                for (AuthorizationPolicy a : f.authorization()) {
                    parsed.add(new PolicyRegistry.Entry(new StoredPolicy(StoredPolicy.AUTHORIZATION, a.namespace(),
                            a.name(), d.text(), 0, 0), null, a));
                }
            } catch (PolicyException e) {
                // The whole text parsed, so a document cannot fail alone unless the split went wrong.
                return invalid(e.format());
            }
        }
        if (parsed.isEmpty()) {
            return invalid(where + ": no KubeArmorPolicy or AuthorizationPolicy document found");
        }
        return new Parsed(parsed, null);
    }

    /** One request is one file: its problems by line and column (the validator finds them bottom-up). */
    static PolicyException inReadingOrder(PolicyException e) {
        return new PolicyException(e.problems().stream().sorted(java.util.Comparator
                .comparingInt(dev.ward.policy.Problem::line).thenComparingInt(dev.ward.policy.Problem::column))
                .toList());
    }

    private static Parsed invalid(String message) {
        return new Parsed(List.of(), PolicyResult.newBuilder().setStatus(PolicyStatus.Invalid).setMessage(message)
                .build());
    }
}
