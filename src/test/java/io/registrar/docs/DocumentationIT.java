package io.registrar.docs;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the shell blocks of README.md and every guide in docs/ as a reader would, in order, against
 * a demo server the guide itself starts ({@code ./registrar demo}, a block marked
 * {@code <!-- doc-test: server -->}), and checks what the text promises ({@code output} blocks).
 * Runs in Maven's integration-test phase, after the jar is built, so {@code ./registrar} starts at
 * once. See {@link DocBlocks} for the markers.
 *
 * <p>Each guide gets a fresh folder (so a fresh demo database) holding a link to the launcher, so
 * {@code ./registrar} means what it means in a clone; each {@code ##} section runs in a shell of its
 * own, so no section depends on another's variables. The demo listens on 8443 and 8444: those
 * ports must be free.
 */
class DocumentationIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String END = "@@doc-test-end-of-block@@";
    private static final long SECTION_TIMEOUT_SECONDS = 300;

    /** Starts a server block in the background and waits until it answers; stops the one before. */
    private static final String PREAMBLE = """
            set -eo pipefail
            __doc_stop() {
              if [ -f "$DOC_TEST_DIR/.server.pid" ]; then
                local pid; pid=$(cat "$DOC_TEST_DIR/.server.pid"); rm -f "$DOC_TEST_DIR/.server.pid"
                kill -TERM -- "-$pid" 2>/dev/null || true
                for _ in $(seq 1 150); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.1; done
                kill -KILL -- "-$pid" 2>/dev/null || true
              fi
            }
            __doc_server() {
              local code; code=$(cat)
              __doc_stop
              if curl -sk -o /dev/null --max-time 2 "$DOC_TEST_READY_URL"; then
                echo "doc-test: something already answers at $DOC_TEST_READY_URL; stop it (./registrar demo?) and run again" >&2
                return 1
              fi
              local n=$((${__doc_servers:-0} + 1)); __doc_servers=$n
              setsid bash -c "$code" > "$DOC_TEST_DIR/server-$n.log" 2>&1 < /dev/null &
              echo $! > "$DOC_TEST_DIR/.server.pid"
              for _ in $(seq 1 1800); do
                if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$DOC_TEST_READY_URL")" = 200 ]; then return 0; fi
                if ! kill -0 "$(cat "$DOC_TEST_DIR/.server.pid")" 2>/dev/null; then
                  echo "doc-test: the server block exited; its output:" >&2; cat "$DOC_TEST_DIR/server-$n.log" >&2; return 1
                fi
                sleep 0.1
              done
              echo "doc-test: the server did not answer at $DOC_TEST_READY_URL within 180 s; its output:" >&2
              cat "$DOC_TEST_DIR/server-$n.log" >&2; return 1
            }
            """;

    @TestFactory
    Stream<DynamicNode> everyShellBlockRunsAsWritten() throws IOException {
        List<Path> guides = new ArrayList<>();
        guides.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(guides::add);
        }
        // -Ddoc.only=partner-onboarding: one guide, while writing it (CI runs them all).
        String only = System.getProperty("doc.only", "");
        return guides.stream().filter(g -> g.getFileName().toString().contains(only)).map(this::guide);
    }

    private DynamicNode guide(Path file) {
        String name = ROOT.relativize(file).toString();
        DocBlocks doc;
        try {
            doc = DocBlocks.parse(name, Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            return DynamicTest.dynamicTest(name, () -> fail("cannot read the guide's blocks: " + e.getMessage()));
        }
        Path[] folder = new Path[1];
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("prepare a fresh folder", () -> folder[0] = freshFolder(name)));
        for (DocBlocks.Section section : doc.sections()) {
            if (section.blocks().stream().allMatch(b -> b.kind() == DocBlocks.Kind.SKIP)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(section.title(), () -> run(name, section, folder[0])));
        }
        tests.add(DynamicTest.dynamicTest("stop the server", () -> stopServer(folder[0])));
        return DynamicContainer.dynamicContainer(name, tests);
    }

    private static Path freshFolder(String name) throws Exception {
        Path dir = ROOT.resolve("target/doc-test").resolve(name.replace('/', '_').replace(".md", ""));
        if (Files.exists(dir)) {
            stopServer(dir);
            try (Stream<Path> old = Files.walk(dir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("registrar"), ROOT.resolve("registrar"));
        return dir;
    }

    private static void run(String file, DocBlocks.Section section, Path dir) throws Exception {
        if (dir == null) {
            fail("the folder was not prepared");
        }
        StringBuilder script = new StringBuilder(PREAMBLE);
        List<DocBlocks.Block> ran = new ArrayList<>();
        for (DocBlocks.Block block : section.blocks()) {
            switch (block.kind()) {
                case SKIP -> { }
                case SERVER -> {
                    script.append("__doc_server <<'__DOC_SERVER_BLOCK__'\n").append(block.code()).append("__DOC_SERVER_BLOCK__\n");
                    script.append("echo ").append(END).append('\n');
                    ran.add(block);
                }
                case RUN -> {
                    script.append(block.code()).append("echo ").append(END).append('\n');
                    ran.add(block);
                }
            }
        }
        Path scriptFile = Files.createTempFile(dir, "section-", ".sh");
        Files.writeString(scriptFile, script);
        ProcessBuilder pb = new ProcessBuilder("bash", scriptFile.toString()).directory(dir.toFile()).redirectErrorStream(true);
        // The reader's shell: nothing of the test run's own settings (./registrar test sets REGISTRAR_E2E).
        pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRAR_"));
        pb.environment().put("DOC_TEST_DIR", dir.toString());
        pb.environment().put("DOC_TEST_READY_URL", "https://localhost:8443/health/ready");
        Process p = pb.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = readAll(in, p);
        }
        String output = new String(out, StandardCharsets.UTF_8);
        String[] perBlock = output.split(java.util.regex.Pattern.quote(END) + "\\R?", -1);
        int finished = perBlock.length - 1;
        if (p.exitValue() != 0 || finished < ran.size()) {
            DocBlocks.Block failed = ran.get(Math.min(finished, ran.size() - 1));
            fail(file + ":" + failed.line() + " (section \"" + section.title() + "\"): the block failed (exit "
                    + p.exitValue() + "). Its output:\n" + tail(perBlock[Math.min(finished, perBlock.length - 1)]));
        }
        for (int i = 0; i < ran.size(); i++) {
            DocBlocks.Block block = ran.get(i);
            String missing = DocBlocks.firstMissing(block.expected(), perBlock[i]);
            assertEquals(null, missing, () -> file + ":" + block.line() + " (section \"" + section.title()
                    + "\"): the block did not print what the text promises, from the line '" + missing + "' on. Its output:\n" + tail(perBlock[ran.indexOf(block)]));
        }
    }

    private static byte[] readAll(java.io.InputStream in, Process p) throws Exception {
        var buffer = new java.io.ByteArrayOutputStream();
        Thread copier = Thread.ofVirtual().start(() -> {
            try {
                in.transferTo(buffer);
            } catch (IOException ignored) {
                // the process was killed on timeout
            }
        });
        if (!p.waitFor(SECTION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            copier.join(5_000);
            fail("the section did not finish within " + SECTION_TIMEOUT_SECONDS + " s. Output so far:\n" + tail(buffer.toString(StandardCharsets.UTF_8)));
        }
        copier.join(10_000);
        return buffer.toByteArray();
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
    }

    private static void stopServer(Path dir) throws Exception {
        if (dir == null) {
            return;
        }
        Path script = dir.resolve(".stop.sh");
        Files.writeString(script, PREAMBLE + "__doc_stop\n");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).inheritIO();
        pb.environment().put("DOC_TEST_DIR", dir.toString());
        Process p = pb.start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
