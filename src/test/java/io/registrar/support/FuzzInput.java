package io.registrar.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fuzz input read as UTF-8 lines: the first lines are fields, the rest is a body. Seeds in the
 * {@code *Inputs} folders are then plain text a reader can write and check; the fuzzer mutates bytes.
 */
public final class FuzzInput {

    private final String[] parts;

    private FuzzInput(String[] parts) {
        this.parts = parts;
    }

    /** {@code fields} lines, then the rest (missing lines are empty). */
    public static FuzzInput of(byte[] input, int fields) {
        String[] split = new String(input, StandardCharsets.UTF_8).split("\n", fields + 1);
        return new FuzzInput(Arrays.copyOf(split, fields + 1));
    }

    /** Field {@code i}: the line, or null when it is empty or missing (the header or parameter is absent). */
    public String field(int i) {
        String s = parts[i];
        return s == null || s.isEmpty() ? null : s;
    }

    public String rest() {
        String s = parts[parts.length - 1];
        return s == null ? "" : s;
    }
}
