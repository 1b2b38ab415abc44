package dev.ward.console;

import java.nio.file.Files;
import org.junit.jupiter.api.Tag;

/** {@link AlertsContract} on SQLite. */
@Tag("process")
class ConsoleAlertsSqliteTest extends AlertsContract {
    @Override
    ConsoleRelay start() throws Exception {
        return ConsoleRelay.sqlite(Files.createTempDirectory("ward-console-alerts"));
    }
}
