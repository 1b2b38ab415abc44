package dev.ward.taskdef;

import java.util.List;
import java.util.Optional;

/**
 * A security group defined in the same input as the service it is attached to, with its ingress rules: those written
 * inside it and those written as separate resources that name it. A group given only by its id ({@code sg-0123})
 * is not here: what it admits is unknown without AWS.
 *
 * @param label   the CloudFormation logical id or terraform address
 * @param ingress every inbound rule, inline or separate
 */
public record SecurityGroup(String label, Loc loc, List<Ingress> ingress) {
    public SecurityGroup {
        ingress = List.copyOf(ingress);
    }

    /**
     * One inbound rule.
     *
     * @param protocol    IpProtocol / protocol / ip_protocol: tcp, udp, icmp, a number, or -1 for every protocol
     * @param cidrs       the IPv4 and IPv6 ranges it admits (CidrIp, CidrIpv6, cidr_blocks, cidr_ipv4, ...)
     * @param otherSource a source that is not a CIDR range (another security group, a prefix list), if any
     */
    public record Ingress(Loc loc, Optional<Field> protocol, Optional<Field> fromPort, Optional<Field> toPort,
                          List<Field> cidrs, Optional<Field> otherSource) {
        public Ingress {
            cidrs = List.copyOf(cidrs);
        }

        /** Whether the rule admits every protocol (-1, or terraform's "all"), and so every port. */
        public boolean allProtocols() {
            return protocol.filter(p -> p.is("-1") || p.is("all")).isPresent();
        }

        /**
         * Whether the rule surely admits TCP port {@code port}: every protocol, or TCP with a known range that holds
         * it. A value known only at deploy time never counts.
         */
        public boolean admitsTcp(int port) {
            if (allProtocols()) {
                return true;
            }
            if (protocol.filter(p -> p.is("tcp") || p.is("6")).isEmpty()) {
                return false;
            }
            Optional<Integer> from = fromPort.flatMap(Field::integer);
            Optional<Integer> to = toPort.flatMap(Field::integer);
            if (from.isEmpty() || to.isEmpty()) {
                return false;
            }
            // EC2 writes "every port" of a TCP rule as -1..-1 as well as 0..65535.
            return (from.get() == -1 && to.get() == -1) || (from.get() <= port && port <= to.get());
        }

        /** Where a finding about the admitted port points: a known from-port, else the protocol, else the rule. */
        public Loc portLoc() {
            return fromPort.filter(f -> f.integer().isPresent()).map(Field::loc).or(() -> protocol.map(Field::loc))
                    .orElse(loc);
        }
    }
}
