package dev.ward.console;

import dev.ward.relay.store.PostgresServer;
import org.junit.jupiter.api.Tag;

/** {@link AlertsContract} on a real PostgreSQL ({@link PostgresServer}, from the machine's packages). */
@Tag("process")
class ConsoleAlertsPostgresTest extends AlertsContract {
    private PostgresServer pg;

    @Override
    ConsoleRelay start() throws Exception {
        pg = PostgresServer.start();
        return new ConsoleRelay(pg.newDatabase("console"), PostgresServer.user());
    }

    @Override
    void afterRelay() {
        if (pg != null) {
            pg.close();
        }
    }
}
