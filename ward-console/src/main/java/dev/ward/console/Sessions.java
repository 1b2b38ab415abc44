package dev.ward.console;

import dev.ward.relay.ConsoleHost.Role;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Console logins: random 256-bit session ids and per-session CSRF tokens, dropped after {@link #IDLE} without use;
 * and the back-off that slows token guessing from one address: after a failure each attempt from it takes the next
 * free slot, the slots spaced by a wait that doubles with each failure up to {@link #MAX_DELAY_MILLIS} (so attempts
 * sent in parallel queue up instead of sharing one wait), until a success or a quiet quarter of an hour.
 */
final class Sessions {
    static final Duration IDLE = Duration.ofHours(8);
    static final String COOKIE = "ward_session";
    static final long MAX_DELAY_MILLIS = 5_000;
    /** An attempt whose slot is further away than this is refused at once (429) instead of waiting. */
    static final long MAX_QUEUE_MILLIS = 30_000;
    private static final long FIRST_DELAY_MILLIS = 200;
    private static final long FORGET_FAILURES_MILLIS = Duration.ofMinutes(15).toMillis();
    private static final int MAX_SESSIONS = 10_000;
    private static final int MAX_ADDRESSES = 10_000;

    /** One login; {@code lastUsed} is refreshed by each request. */
    static final class Session {
        final String id;
        final Role role;
        final String csrf;
        volatile long lastUsed;

        Session(String id, Role role, String csrf, long now) {
            this.id = id;
            this.role = role;
            this.csrf = csrf;
            this.lastUsed = now;
        }
    }

    /** Failures from one address: how many, the last one, and the next free slot for an attempt. */
    private record Failures(int count, long lastMillis, long nextSlotMillis) {
        long delay() {
            return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(count - 1, 10));
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    Sessions(LongSupplier clock) {
        this.clock = clock;
    }

    Session create(Role role) {
        long now = clock.getAsLong();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> expired(s, now));
        }
        if (sessions.size() >= MAX_SESSIONS) {
            throw new ApiError(503, "too many console sessions; log out elsewhere or wait for them to expire");
        }
        Session s = new Session(token(32), role, token(32), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session a {@code Cookie} header names, refreshed; null when none. */
    Session find(String cookieHeader) {
        String id = cookie(cookieHeader);
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (expired(s, now)) {
            sessions.remove(s.id);
            return null;
        }
        s.lastUsed = now;
        return s;
    }

    void drop(Session s) {
        sessions.remove(s.id);
    }

    /**
     * How long a login from {@code address} waits before its token is checked: it takes the address's next slot.
     * 429 when that is more than {@link #MAX_QUEUE_MILLIS} away.
     */
    long delayMillis(String address) {
        long now = clock.getAsLong();
        long[] wait = {0};
        failures.computeIfPresent(address, (a, f) -> {
            if (now - f.lastMillis() > FORGET_FAILURES_MILLIS) {
                return null;
            }
            long slot = Math.max(now, f.nextSlotMillis());
            if (slot - now > MAX_QUEUE_MILLIS) {
                wait[0] = -1;
                return f;
            }
            wait[0] = slot - now;
            return new Failures(f.count(), f.lastMillis(), slot + f.delay());
        });
        if (wait[0] < 0) {
            throw new ApiError(429, "too many failed logins from " + address + "; try again later");
        }
        return wait[0];
    }

    void failed(String address) {
        long now = clock.getAsLong();
        if (failures.size() >= MAX_ADDRESSES) {
            failures.values().removeIf(f -> now - f.lastMillis() > FORGET_FAILURES_MILLIS);
        }
        failures.compute(address, (a, old) -> {
            int count = old == null || now - old.lastMillis() > FORGET_FAILURES_MILLIS ? 1 : old.count() + 1;
            Failures next = new Failures(count, now, 0);
            return new Failures(count, now, Math.max(old == null ? 0 : old.nextSlotMillis(), now + next.delay()));
        });
    }

    void succeeded(String address) {
        failures.remove(address);
    }

    private boolean expired(Session s, long now) {
        return now - s.lastUsed > IDLE.toMillis();
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
