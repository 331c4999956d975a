package io.registrar.support;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An H2 file system ({@code jdbc:h2:countsyncs:/path}) that is the disk, except that it counts how
 * often H2 forces a file to the device: a test can then see whether a write was synced before it
 * returned. It can also hold up the writes of one thread, and counts the forces that came while
 * such a write was still under way: a force then cannot have made that write durable.
 */
public final class SyncCountingFilePath extends FilePathWrapper {

    private static final AtomicInteger SYNCS = new AtomicInteger();
    private static final AtomicInteger WRITING = new AtomicInteger();
    private static final AtomicInteger SYNCS_DURING_WRITE = new AtomicInteger();
    private static volatile HeldWrites held;

    /** Writes made by the thread named {@code threadName} start, signal {@code started}, and take {@code millis} longer. */
    private record HeldWrites(String threadName, long millis, java.util.concurrent.CountDownLatch started) {
    }

    static {
        FilePath.register(new SyncCountingFilePath());
    }

    /** The JDBC URL of an H2 database at {@code path} on this file system. */
    public static String jdbcUrl(java.nio.file.Path path) {
        return "jdbc:h2:countsyncs:" + path.toAbsolutePath();
    }

    /** Syncs so far, of every database on this file system. */
    public static int syncs() {
        return SYNCS.get();
    }

    /** Syncs so far that came while a held write (see {@link #holdWritesOf}) was not finished. */
    public static int syncsDuringWrite() {
        return SYNCS_DURING_WRITE.get();
    }

    /**
     * From now on, every write by the thread named {@code threadName} counts down {@code started}
     * and then waits {@code millis} before it reaches the disk; null stops that.
     */
    public static void holdWritesOf(String threadName, long millis, java.util.concurrent.CountDownLatch started) {
        held = threadName == null ? null : new HeldWrites(threadName, millis, started);
    }

    @Override
    public String getScheme() {
        return "countsyncs";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Counting(getBase().open(mode));
    }

    private static final class Counting extends FileBase {
        private final FileChannel disk;

        Counting(FileChannel disk) {
            this.disk = disk;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (WRITING.get() > 0) {
                SYNCS_DURING_WRITE.incrementAndGet();
            }
            disk.force(metaData);
            SYNCS.incrementAndGet();
        }

        private static void holdIfAsked() {
            HeldWrites h = held;
            if (h != null && Thread.currentThread().getName().equals(h.threadName())) {
                h.started().countDown();
                try {
                    Thread.sleep(h.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return disk.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return disk.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            WRITING.incrementAndGet();
            try {
                holdIfAsked();
                return disk.write(src);
            } finally {
                WRITING.decrementAndGet();
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            WRITING.incrementAndGet();
            try {
                holdIfAsked();
                return disk.write(src, position);
            } finally {
                WRITING.decrementAndGet();
            }
        }

        @Override
        public long position() throws IOException {
            return disk.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            disk.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return disk.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            disk.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return disk.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            disk.close();
        }
    }
}
