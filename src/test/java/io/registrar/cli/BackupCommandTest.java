package io.registrar.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The file name {@code registrar backup} saves under, from what the server proposes, and the time it reports. */
class BackupCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:30:00Z");
    private static final String OURS = "registrar-backup-20261203T103000Z.zip";

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("attachment; filename=\"registrar-backup-20251101T000102Z.zip\"", "registrar-backup-20251101T000102Z.zip"),
                Arguments.of("attachment; filename=\".profile\"", OURS),
                Arguments.of("attachment; filename=\".bashrc\"", OURS),
                Arguments.of("attachment; filename=\"../registrar-backup-20251101T000102Z.zip\"", OURS),
                Arguments.of("attachment; filename=\"/tmp/registrar-backup-20251101T000102Z.zip\"", OURS),
                Arguments.of("attachment; filename=\"registrar-backup-20251101T000102Z.zip.sh\"", OURS),
                Arguments.of("attachment; filename=\"registrar-backup.zip\"", OURS),
                Arguments.of("attachment; filename=\"\"", OURS),
                Arguments.of("attachment", OURS),
                Arguments.of(null, OURS));
    }

    @ParameterizedTest
    @MethodSource("names")
    void onlyANameOfTheServersOwnFormIsTaken(String contentDisposition, String expected) {
        assertEquals(expected, BackupCommand.fileName(contentDisposition, NOW));
    }

    static Stream<Arguments> dates() {
        return Stream.of(
                Arguments.of("Thu, 03 Dec 2026 10:30:00 GMT", "2026-12-03T10:30:00Z"),
                Arguments.of("yesterday", "the time of the request"),
                Arguments.of("", "the time of the request"),
                Arguments.of(null, "the time of the request"));
    }

    @ParameterizedTest
    @MethodSource("dates")
    void aLastModifiedThatDoesNotParseIsLeftOut(String lastModified, String expected) {
        assertEquals(expected, BackupCommand.asOf(lastModified));
    }
}
