package io.registrar.plugin;

import io.registrar.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading from plugins.directory: none when unset, and every way a folder can be wrong stops the start naming it. */
class PluginLoaderTest {

    @Test
    void noFolderNoPlugins() {
        assertEquals(0, PluginLoader.load("").size());
        assertEquals(0, PluginLoader.load(null).size());
    }

    @Test
    void aFolderThatIsNotThereStopsTheStart(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(dir.resolve("nope").toString()));
        assertTrue(e.getMessage().contains("'plugins.directory'") && e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void aFolderOfLibrariesOnlyLoadsNothing(@TempDir Path dir) throws IOException {
        jar(dir.resolve("library.jar"), null);
        assertEquals(0, PluginLoader.load(dir.toString()).size());
    }

    @Test
    void aJarThatIsNotAJarStopsTheStartNamingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.jar"), "not a zip");
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(dir.toString()));
        assertTrue(e.getMessage().contains(dir.resolve("broken.jar").toString()) && e.getMessage().contains("not a readable jar"), e.getMessage());
    }

    @Test
    void aPluginClassThatIsNotThereStopsTheStartNamingItsJar(@TempDir Path dir) throws IOException {
        jar(dir.resolve("a-library.jar"), null);
        jar(dir.resolve("partner.jar"), "com.partner.MissingPlugin\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(dir.toString()));
        assertTrue(e.getMessage().startsWith("registration plug-in " + dir.resolve("partner.jar") + " cannot be loaded"), e.getMessage());
        assertTrue(e.getMessage().contains("com.partner.MissingPlugin"), e.getMessage());
    }

    @Test
    void aClassThatIsNoPluginStopsTheStartNamingItsJar(@TempDir Path dir) throws IOException {
        // A class the JDK has, listed as a plug-in: it loads but does not implement RegistrationPlugin.
        jar(dir.resolve("wrong.jar"), "java.lang.String\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(dir.toString()));
        assertTrue(e.getMessage().contains("cannot be loaded") && e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    private static void jar(Path file, String services) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("README.txt"));
            jar.write("a jar".getBytes(StandardCharsets.UTF_8));
            if (services != null) {
                jar.putNextEntry(new JarEntry(PluginLoader.SERVICES_ENTRY));
                jar.write(services.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
