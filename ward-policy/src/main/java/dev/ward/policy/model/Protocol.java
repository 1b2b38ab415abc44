package dev.ward.policy.model;

import java.util.Locale;

/**
 * {@code network.matchProtocols.protocol} values. The first six name IP protocols, the next name socket types
 * (KubeArmor accepts both), ALL matches every socket of a network family.
 */
public enum Protocol {
    TCP, UDP, ICMP, ICMPV6, SCTP, RAW, STREAM, DGRAM, RDM, SEQPACKET, DCCP, PACKET, ALL;

    /** Parses any case ("tcp", "TCP"); null when unknown. */
    public static Protocol parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        for (Protocol p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        return null;
    }

    public String policyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
