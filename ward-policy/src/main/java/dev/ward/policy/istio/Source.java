package dev.ward.policy.istio;

import dev.ward.policy.model.Position;
import java.util.List;

/**
 * {@code rules[].from[].source}: every field given must match (AND); within a field one value suffices (OR); a
 * {@code not*} field matches when none of its values does. Principals are kept without {@code spiffe://}.
 */
public record Source(Position position, List<StringMatch> principals, List<StringMatch> notPrincipals,
        List<StringMatch> namespaces, List<StringMatch> notNamespaces, List<Cidr> ipBlocks, List<Cidr> notIpBlocks,
        List<Cidr> remoteIpBlocks, List<Cidr> notRemoteIpBlocks) {
    public Source {
        principals = List.copyOf(principals);
        notPrincipals = List.copyOf(notPrincipals);
        namespaces = List.copyOf(namespaces);
        notNamespaces = List.copyOf(notNamespaces);
        ipBlocks = List.copyOf(ipBlocks);
        notIpBlocks = List.copyOf(notIpBlocks);
        remoteIpBlocks = List.copyOf(remoteIpBlocks);
        notRemoteIpBlocks = List.copyOf(notRemoteIpBlocks);
    }
}
