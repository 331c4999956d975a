package io.registrar.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How long another HotSpot JVM on this machine has spent compiling so far: its {@code java.ci.totalTime}
 * counter (the time its JIT compiler threads spent compiling, summed), read from the performance-data
 * file it keeps in {@code <tmpdir>/hsperfdata_<user>/<pid>} (the file {@code jstat} reads). The
 * benchmark uses it to see when the server's compiler has gone quiet, so that a measurement does not
 * measure the compiler (on two cores it competes with the load for CPU).
 */
final class JitClock {

    private static final int MAGIC = 0xcafec0c0;

    private final Path file;

    JitClock(long pid) {
        this.file = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid));
    }

    /** Milliseconds of compilation so far, or -1 when the JVM publishes no performance data (-XX:-UsePerfData). */
    long compileMillis() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer data = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 20));
            while (data.hasRemaining() && channel.read(data) > 0) {
                // read the whole file: the JVM updates it in place
            }
            data.flip();
            long ticks = counter(data, "java.ci.totalTime");
            long frequency = counter(data, "sun.os.hrt.frequency");
            return ticks < 0 || frequency <= 0 ? -1 : ticks * 1000 / frequency;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A long counter by name, or -1. The layout is HotSpot's PerfDataPrologue (magic, byte order, …,
     * entry offset at 24, entry count at 28) followed by PerfDataEntry records (length, name offset,
     * vector length, type, flags, units, variability, data offset), names NUL-terminated.
     */
    private static long counter(ByteBuffer data, String name) {
        if (data.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
            return -1;
        }
        data.order(data.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entry = data.getInt(24);
        int count = data.getInt(28);
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count && entry > 0 && entry < data.limit(); i++) {
            int length = data.getInt(entry);
            int nameStart = entry + data.getInt(entry + 4);
            int vectorLength = data.getInt(entry + 8);
            byte type = data.get(entry + 12);
            if (vectorLength == 0 && type == 'J' && named(data, nameStart, wanted)) {
                return data.getLong(entry + data.getInt(entry + 16));
            }
            if (length <= 0) {
                break;
            }
            entry += length;
        }
        return -1;
    }

    private static boolean named(ByteBuffer data, int at, byte[] wanted) {
        if (at + wanted.length >= data.limit()) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (data.get(at + i) != wanted[i]) {
                return false;
            }
        }
        return data.get(at + wanted.length) == 0;
    }
}
