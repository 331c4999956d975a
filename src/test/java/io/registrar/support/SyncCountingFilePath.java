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
 * returned.
 */
public final class SyncCountingFilePath extends FilePathWrapper {

    private static final AtomicInteger SYNCS = new AtomicInteger();

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
            disk.force(metaData);
            SYNCS.incrementAndGet();
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
            return disk.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return disk.write(src, position);
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
