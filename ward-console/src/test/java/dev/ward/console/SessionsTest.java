package dev.ward.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.ConsoleHost.Role;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Session ids, idle expiry and the login back-off, on a clock the test moves. */
class SessionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Sessions sessions = new Sessions(now::get);

    @Test
    void aSessionIsFoundByItsCookieUntilItIdlesOut() {
        Sessions.Session s = sessions.create(Role.read);
        assertThat(s.id).matches("[A-Za-z0-9_-]{43}"); // 256 bits
        assertThat(s.csrf).isNotEqualTo(s.id).hasSize(43);
        assertThat(sessions.find("a=b; ward_session=" + s.id + "; c=d")).isSameAs(s);
        assertThat(sessions.find("ward_session=" + s.id + "x")).isNull();
        assertThat(sessions.find(null)).isNull();
        now.addAndGet(Sessions.IDLE.toMillis() - 1);
        assertThat(sessions.find("ward_session=" + s.id)).isSameAs(s); // used: the idle time starts again
        now.addAndGet(Sessions.IDLE.toMillis() + 1);
        assertThat(sessions.find("ward_session=" + s.id)).isNull();
        assertThat(sessions.create(Role.read).id).isNotEqualTo(s.id);
    }

    @Test
    void failedLoginsFromOneAddressWaitLongerEachTime() {
        assertThat(sessions.delayMillis("10.0.0.1")).isZero();
        sessions.failed("10.0.0.1");
        assertThat(sessions.delayMillis("10.0.0.1")).isEqualTo(200);
        now.addAndGet(200);
        sessions.failed("10.0.0.1");
        assertThat(sessions.delayMillis("10.0.0.1")).isEqualTo(400);
        now.addAndGet(400);
        sessions.failed("10.0.0.1");
        assertThat(sessions.delayMillis("10.0.0.1")).isEqualTo(800);
        assertThat(sessions.delayMillis("10.0.0.2")).isZero();
        now.addAndGet(800);
        for (int i = 0; i < 20; i++) {
            sessions.failed("10.0.0.1");
        }
        assertThat(sessions.delayMillis("10.0.0.1")).isEqualTo(Sessions.MAX_DELAY_MILLIS);
        sessions.succeeded("10.0.0.1");
        assertThat(sessions.delayMillis("10.0.0.1")).isZero();
        sessions.failed("10.0.0.3");
        now.addAndGet(16 * 60_000);
        assertThat(sessions.delayMillis("10.0.0.3")).isZero();
    }

    @Test
    void attemptsSentTogetherQueueUpInsteadOfSharingOneWait() {
        sessions.failed("10.0.0.4");
        assertThat(sessions.delayMillis("10.0.0.4")).isEqualTo(200);
        assertThat(sessions.delayMillis("10.0.0.4")).isEqualTo(400);
        assertThat(sessions.delayMillis("10.0.0.4")).isEqualTo(600);
        for (int i = 0; i < 5; i++) {
            sessions.failed("10.0.0.5");
        }
        long total = 0;
        while (true) {
            try {
                total = sessions.delayMillis("10.0.0.5");
            } catch (ApiError e) {
                assertThat(e.status()).isEqualTo(429);
                break;
            }
        }
        assertThat(total).isLessThanOrEqualTo(Sessions.MAX_QUEUE_MILLIS);
    }
}
