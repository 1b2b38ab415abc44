package dev.ward.relay;

import dev.ward.mesh.SpiffeId;
import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.StoreException;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@code ward mesh enroll NS/SA}: a random secret for one identity, shown once; the store keeps its SHA-256, its
 * expiry and how many distinct agents may use it. An agent may present the token again to renew (any number of
 * times until the token expires, and after that while the certificate it got with it is still valid); a new agent
 * takes one of the token's uses.
 */
final class EnrollmentTokens {
    static final String PREFIX = "wmesh_";
    static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    static final int MAX_USES = 100_000;
    static final Duration MAX_VALIDITY = Duration.ofDays(366);

    private final MeshStore store;
    private final SecureRandom random = new SecureRandom();

    EnrollmentTokens(MeshStore store) {
        this.store = store;
    }

    record Created(String token, SpiffeId id, Instant expires) {
    }

    /** The identity a token was made for, and the token's hash (recorded with the certificate). */
    record Redeemed(SpiffeId id, String hash) {
    }

    /** A new token for {@code id}; {@code valid} zero means 24 h, {@code uses} zero means one. */
    Created create(SpiffeId id, Duration valid, int uses) throws StoreException {
        if (valid.isNegative() || valid.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("valid " + valid.toSeconds() + " s: expected up to "
                    + MAX_VALIDITY.toDays() + " days (0: 24 h)");
        }
        if (uses < 0 || uses > MAX_USES) {
            throw new IllegalArgumentException("uses " + uses + ": expected 1 to " + MAX_USES + " (0: one)");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        Instant expires = now.plus(valid.isZero() ? DEFAULT_VALIDITY : valid);
        store.createToken(hash(token), id.toString(), expires.toEpochMilli(), uses == 0 ? 1 : uses, now.toEpochMilli());
        return new Created(token, id, expires);
    }

    /** The identity {@code token} lets {@code agentId} hold, or a PERMISSION_DENIED refusal saying why not. */
    Redeemed redeem(String token, String agentId) throws StoreException {
        String hash = hash(token.strip());
        long now = System.currentTimeMillis();
        MeshStore.Redemption r = store.redeem(hash, agentId, now);
        return switch (r.outcome()) {
            case OK -> new Redeemed(SpiffeId.parse(r.spiffeId()), hash);
            case UNKNOWN -> throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "unknown_token",
                    "the enrollment token is not known to this relay (mistyped, or made by a relay with another "
                            + "store): make one with ward mesh enroll NS/SA");
            case EXPIRED -> throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "expired_token",
                    "the enrollment token for " + r.spiffeId() + " expired at "
                            + Instant.ofEpochMilli(r.expiresMillis()) + ": make a new one with ward mesh enroll");
            case USED_UP -> throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "used_up_token",
                    "the enrollment token for " + r.spiffeId() + " is used up: " + r.uses() + (r.uses() == 1
                            ? " agent has" : " agents have") + " enrolled with it already (ward mesh enroll --uses N "
                            + "makes one for more agents)");
        };
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
