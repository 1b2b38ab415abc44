package dev.ward.relay.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One relay per SQLite file: two relays on one file would each cache the policies and hand out batch
 * acknowledgements the other does not know about. The relay holds an exclusive lock on {@code FILE.lock}
 * for its whole life, and writes in it who it is, so that a second relay can say who holds the file.
 *
 * <p>The lock is the kernel's (fcntl), so it goes away with the process however it ends; the file stays
 * and is rewritten by the next holder. It is a separate file because SQLite keeps its own POSIX locks on
 * the database file, which closing any other descriptor of that file would silently drop.
 */
final class SqliteLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SqliteLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Null for an in-memory database (nothing to share). */
    static SqliteLock acquire(String url) throws StoreException {
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        file = query >= 0 ? file.substring(0, query) : file;
        file = file.startsWith("file:") ? file.substring(5) : file;
        if (file.isEmpty() || file.equals(":memory:")) {
            return null;
        }
        Path db = Path.of(file).toAbsolutePath();
        Path path = db.resolveSibling(db.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // a relay in this very process holds it
            }
            if (lock == null) {
                String holder = Files.readString(path, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new StoreException("the store " + db + " is in use by another relay ("
                        + (holder.isEmpty() ? "starting" : holder) + "; lock " + path + "): one relay per SQLite "
                        + "file. Stop that relay, or give this one another --store (relays that share a store "
                        + "use PostgreSQL)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new SqliteLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("cannot lock the store " + db + " (" + path + "): " + e.getMessage(), e);
        }
    }

    private static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        ProcessHandle self = ProcessHandle.current();
        return "pid " + self.pid() + " on " + host + ", started "
                + self.info().startInstant().map(Instant::toString).orElse("at an unknown time");
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case.
        }
    }
}
