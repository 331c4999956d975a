package io.registrar.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced blocks of one Markdown guide, grouped by its {@code ##} sections, as the documentation
 * test runs them.
 *
 * <ul>
 *   <li>A block fenced {@code sh}, {@code bash} or {@code shell} is run.</li>
 *   <li>A block fenced {@code output} right after it holds what that block must print: each non-blank
 *       line must appear in the block's output, in order; {@code ...} inside a line stands for anything.</li>
 *   <li>{@code <!-- doc-test: server -->} on the line before a block: the reader runs it in a second
 *       terminal. The test starts it in the background (stopping a server it started before) and
 *       waits until the server answers.</li>
 *   <li>{@code <!-- doc-test: skip (why) -->}: the block is not run; the reason is required.</li>
 * </ul>
 */
record DocBlocks(String file, List<Section> sections) {

    enum Kind { RUN, SERVER, SKIP }

    record Block(Kind kind, String code, List<String> expected, int line, String skipReason) {
    }

    record Section(String title, List<Block> blocks) {
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern MARK = Pattern.compile("^<!--\\s*doc-test:\\s*(server|skip)\\s*(?:\\((.+)\\))?\\s*-->\\s*$");

    static DocBlocks parse(String file, String markdown) {
        List<Section> sections = new ArrayList<>();
        String title = "(top)";
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String pendingMark = null;
        String pendingReason = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher mark = MARK.matcher(line.trim());
            if (mark.matches()) {
                pendingMark = mark.group(1);
                pendingReason = mark.group(2);
                if ("skip".equals(pendingMark) && (pendingReason == null || pendingReason.isBlank())) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": doc-test: skip needs a reason in parentheses");
                }
                continue;
            }
            if (line.startsWith("## ")) {
                if (!blocks.isEmpty()) {
                    sections.add(new Section(title, blocks));
                }
                title = line.substring(3).trim();
                blocks = new ArrayList<>();
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                if (!line.isBlank()) {
                    pendingMark = null;
                }
                continue;
            }
            String info = fence.group(1);
            int start = i + 1;
            StringBuilder body = new StringBuilder();
            i++;
            while (i < lines.length && !lines[i].startsWith("```")) {
                body.append(lines[i]).append('\n');
                i++;
            }
            if (i >= lines.length) {
                throw new IllegalArgumentException(file + ":" + start + ": unclosed code block");
            }
            switch (info) {
                case "sh", "bash", "shell" -> {
                    Kind kind = pendingMark == null ? Kind.RUN : "server".equals(pendingMark) ? Kind.SERVER : Kind.SKIP;
                    blocks.add(new Block(kind, body.toString(), new ArrayList<>(), start, pendingReason));
                }
                case "output" -> {
                    if (blocks.isEmpty() || blocks.get(blocks.size() - 1).kind() != Kind.RUN) {
                        throw new IllegalArgumentException(file + ":" + start + ": an output block must follow a shell block that runs");
                    }
                    body.toString().lines().filter(l -> !l.isBlank()).forEach(blocks.get(blocks.size() - 1).expected()::add);
                }
                default -> { }
            }
            pendingMark = null;
            pendingReason = null;
        }
        if (!blocks.isEmpty()) {
            sections.add(new Section(title, blocks));
        }
        return new DocBlocks(file, sections);
    }

    /** Null when every expected line appears in {@code actual} in order, else the first one that does not. */
    static String firstMissing(List<String> expected, String actual) {
        List<String> lines = actual.lines().toList();
        int at = 0;
        for (String want : expected) {
            Pattern p = wildcard(want.strip());
            boolean found = false;
            while (at < lines.size()) {
                if (p.matcher(lines.get(at++)).find()) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return want;
            }
        }
        return null;
    }

    private static Pattern wildcard(String line) {
        StringBuilder regex = new StringBuilder();
        String[] parts = line.split("\\.\\.\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
