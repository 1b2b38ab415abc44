package dev.ward.relay.store;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Other relays' announcements on a shared PostgreSQL store: committed event chunks
 * ({@value EventAppender#EVENTS_CHANNEL}, payload "RELAY-ID COMMIT-ID") and policy changes
 * ({@value #POLICIES_CHANNEL}). One platform thread ("ward-relay-listen") on a connection of its own calls the
 * handler in commit order; a handler that is slow delays the next notifications, not the database.
 *
 * <p>When the connection breaks, the thread reconnects (backing off to 5 s) and calls
 * {@link Handler#reconnected}: commits announced meanwhile are not fanned out live (they are stored, and
 * {@code ward logs --since} reads them), and the policy set must be reloaded.
 */
public final class StoreListener implements AutoCloseable {
    public static final String POLICIES_CHANNEL = "ward_policies";

    /** What the listener reports; called on its thread. */
    public interface Handler {
        void events(String relayId, long commitId);

        void policies();

        void reconnected();
    }

    private final Db.Opener opener;
    private final Handler handler;
    private final PrintStream log;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    StoreListener(Db.Opener opener, Handler handler, PrintStream log) {
        this.opener = opener;
        this.handler = handler;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("ward-relay-listen").start(this::loop);
    }

    private void loop() {
        long backoff = 100;
        boolean first = true;
        while (!closed) {
            try (Connection c = opener.open()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + EventAppender.EVENTS_CHANNEL);
                    s.execute("LISTEN " + POLICIES_CHANNEL);
                }
                listening.countDown();
                if (!first) {
                    log.println("ward relay: listening to the other relays again");
                    handler.reconnected();
                }
                first = false;
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) {
                        continue;
                    }
                    for (PGNotification n : ns) {
                        dispatch(n);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                first = false;
                log.println("ward relay: lost the store's notifications (" + Store.rootMessage(e) + "); other "
                        + "relays' events are not shown live until it is back");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void dispatch(PGNotification n) {
        if (n.getName().equals(POLICIES_CHANNEL)) {
            handler.policies();
            return;
        }
        String p = n.getParameter();
        int space = p.indexOf(' ');
        if (space > 0) {
            try {
                handler.events(p.substring(0, space), Long.parseLong(p.substring(space + 1)));
            } catch (NumberFormatException e) {
                log.println("ward relay: ignored a malformed announcement on " + n.getName() + ": " + p);
            }
        }
    }

    /**
     * Waits until the first LISTEN is in place: a relay that served before it would miss the changes made
     * meanwhile until its next poll. False when it is not within {@code timeout} (the store is down).
     */
    public boolean awaitListening(java.time.Duration timeout) throws InterruptedException {
        return listening.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close(); // ends a getNotifications wait
            } catch (SQLException e) {
                // closing anyway
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
