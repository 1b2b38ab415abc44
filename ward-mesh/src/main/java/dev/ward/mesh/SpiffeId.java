package dev.ward.mesh;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A workload identity in Istio's shape, {@code spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT}, so that
 * {@code principals:} written for Istio ({@code cluster.local/ns/x/sa/y}, without the scheme) match unchanged.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,253}");

    public SpiffeId {
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("trust domain '" + trustDomain
                    + "': expected lower-case letters, digits, '.', '_' or '-'");
        }
        check("namespace", namespace);
        check("service account", serviceAccount);
    }

    private static void check(String what, String value) {
        if (!SEGMENT.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " '" + value
                    + "': expected letters, digits, '.', '_' or '-' (1 to 253 characters)");
        }
    }

    /** Parses {@code spiffe://td/ns/NS/sa/SA}; anything else is an IllegalArgumentException saying what was expected. */
    public static SpiffeId parse(String uri) {
        if (!uri.startsWith("spiffe://")) {
            throw new IllegalArgumentException("'" + uri + "': expected spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT");
        }
        return parsePrincipal(uri.substring("spiffe://".length()));
    }

    /** Parses an Istio principal, {@code td/ns/NS/sa/SA} (the SPIFFE ID without its scheme). */
    public static SpiffeId parsePrincipal(String principal) {
        String[] parts = principal.split("/", -1);
        if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")) {
            throw new IllegalArgumentException("'" + principal
                    + "': expected TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT");
        }
        return new SpiffeId(parts[0], parts[2], parts[4]);
    }

    /** {@code NS/SA}, the form `ward mesh enroll` and `ward mesh bind` take. */
    public static SpiffeId ofWorkload(String trustDomain, String namespaceSlashAccount) {
        String[] parts = namespaceSlashAccount.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + namespaceSlashAccount + "': expected NAMESPACE/SERVICE_ACCOUNT");
        }
        return new SpiffeId(trustDomain, parts[0], parts[1]);
    }

    /** The principal as Istio policies write it: {@code td/ns/NS/sa/SA}. */
    public String principal() {
        return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    public URI uri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return "spiffe://" + principal();
    }
}
