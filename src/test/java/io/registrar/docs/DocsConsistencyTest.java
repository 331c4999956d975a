package io.registrar.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What keeps the guides from drifting without starting a server: the configuration reference and links. */
class DocsConsistencyTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DEFAULTS = ROOT.resolve("src/main/resources/registrar-defaults.yaml");
    private static final Path REFERENCE = ROOT.resolve("docs/configuration.md");
    private static final String BEGIN = "<!-- registrar-defaults.yaml: begin -->\n```yaml\n";
    private static final String END = "```\n<!-- registrar-defaults.yaml: end -->";

    /** The configuration reference is registrar-defaults.yaml itself, so the two cannot drift. */
    @Test
    void configurationReferenceIsTheDefaultsFile() throws IOException {
        String doc = Files.readString(REFERENCE);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/configuration.md must hold the defaults between its begin and end markers");
        String expected = doc.substring(0, begin + BEGIN.length()) + Files.readString(DEFAULTS) + doc.substring(end);
        if (!expected.equals(doc)) {
            Path fresh = ROOT.resolve("target/configuration.md");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, expected);
            assertEquals(expected, doc, "docs/configuration.md differs from registrar-defaults.yaml; the up-to-date page is in "
                    + "target/configuration.md: cp target/configuration.md docs/configuration.md");
        }
    }

    /** Every relative link of the README and the guides names a file that exists. */
    @Test
    void relativeLinksResolve() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        List<String> broken = new ArrayList<>();
        for (Path file : guides()) {
            Matcher m = link.matcher(Files.readString(file));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !target.startsWith("mailto:") && !Files.exists(file.getParent().resolve(target))) {
                    broken.add(ROOT.relativize(file) + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** Every guide's blocks parse: fences closed, skips explained, outputs after a block that runs. */
    @Test
    void everyGuideParses() throws IOException {
        for (Path file : guides()) {
            DocBlocks.parse(ROOT.relativize(file).toString(), Files.readString(file));
        }
    }

    @ParameterizedTest(name = "{0} in \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
            "invalid_client                 | invalid_client                          | true",
            "invalid_client                 | {\"error\":\"invalid_client\"}          | true",
            "\"scope\": \"api\"              | '  \"scope\": \"api\",'                 | true",
            "register/...                   | https://h/register/1a2.xyz              | true",
            "{\"a\":...,\"b\":2}            | {\"a\":\"x1\",\"b\":2}                  | true",
            "{\"a\":...,\"b\":2}            | {\"a\":\"x1\",\"b\":3}                  | false",
            "Bearer                         | DPoP                                    | false",
            "a.c                            | abc                                     | false",
    })
    void expectedLinesMatchLiterallyWithEllipsisAsWildcard(String want, String actual, boolean matches) {
        assertEquals(matches, DocBlocks.firstMissing(List.of(want), actual) == null);
    }

    @Test
    void expectedLinesMustAppearInOrder() {
        assertNull(DocBlocks.firstMissing(List.of("one", "two"), "one\ntwo\n"));
        assertEquals("one", DocBlocks.firstMissing(List.of("two", "one"), "one\ntwo\n"));
    }

    @Test
    void markersAndSectionsAreRead() {
        DocBlocks doc = DocBlocks.parse("t.md", """
                # T
                ## A
                <!-- doc-test: server -->
                ```sh
                ./registrar demo
                ```
                ```sh
                echo hi
                ```
                ```output
                hi
                ```
                ## B
                <!-- doc-test: skip (needs a browser) -->
                ```bash
                open x
                ```
                ```yaml
                not: run
                ```
                """);
        assertEquals(2, doc.sections().size());
        assertEquals(List.of(DocBlocks.Kind.SERVER, DocBlocks.Kind.RUN),
                doc.sections().get(0).blocks().stream().map(DocBlocks.Block::kind).toList());
        assertEquals(List.of("hi"), doc.sections().get(0).blocks().get(1).expected());
        assertEquals("needs a browser", doc.sections().get(1).blocks().get(0).skipReason());
        assertEquals(1, doc.sections().get(1).blocks().size());
    }

    @Test
    void aSkipWithoutAReasonOrAnOrphanOutputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DocBlocks.parse("t.md", "<!-- doc-test: skip -->\n```sh\nx\n```\n"));
        assertThrows(IllegalArgumentException.class, () -> DocBlocks.parse("t.md", "```output\nx\n```\n"));
        assertThrows(IllegalArgumentException.class, () -> DocBlocks.parse("t.md", "```sh\nx\n"));
    }

    private static List<Path> guides() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }
}
