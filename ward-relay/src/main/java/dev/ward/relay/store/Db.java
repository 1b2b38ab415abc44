package dev.ward.relay.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One JDBC connection used under a lock, reopened once when it broke. */
final class Db {
    interface Opener {
        Connection open() throws SQLException;
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Opener opener;
    private Connection connection; // guarded by this

    Db(Opener opener) throws SQLException {
        this.opener = opener;
        this.connection = opener.open();
    }

    synchronized <T> T call(Work<T> work) throws StoreException {
        return run(work, false);
    }

    synchronized <T> T transaction(Work<T> work) throws StoreException {
        return run(work, true);
    }

    private <T> T run(Work<T> work, boolean tx) throws StoreException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = opener.open();
                }
                return tx ? inTransaction(work) : work.run(connection);
            } catch (SQLException e) {
                boolean broken = isBroken();
                if (!broken || attempt > 0) {
                    throw new StoreException("store: " + Store.rootMessage(e), e);
                }
                closeQuietly();
            }
        }
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        }
    }

    private boolean isBroken() {
        try {
            return connection == null || !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // Already broken; a new connection follows.
        }
        connection = null;
    }

    synchronized void close() {
        closeQuietly();
    }
}
