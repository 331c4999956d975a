package io.registrar.plugin;

import io.registrar.config.ConfigException;
import io.registrar.spi.RegistrationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the registration plug-ins in {@code plugins.directory} with {@link ServiceLoader}: every
 * {@code *.jar} of the folder (not its subfolders) is on one class loader, so that a plug-in's
 * libraries can sit beside it, and each jar that lists an implementation in
 * {@code META-INF/services/io.registrar.spi.RegistrationPlugin} contributes it. Plug-ins come in the
 * order of their jars' names. Anything wrong stops the start with a message naming the folder or the
 * jar: a deployer who installed a plug-in must not get a server that silently runs without it.
 */
public final class PluginLoader {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    static final String SERVICES_ENTRY = "META-INF/services/" + RegistrationPlugin.class.getName();
    private static final String KEY = "plugins.directory";

    private PluginLoader() {
    }

    /** The plug-ins of {@code directory}; none when it is blank. */
    public static List<LoadedPlugin> load(String directory) {
        if (directory == null || directory.isBlank()) {
            return List.of();
        }
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("configuration key '" + KEY + "': '" + directory + "' is not a directory");
        }
        List<Path> jars = jars(dir);
        if (jars.isEmpty()) {
            log.warn("{} '{}' holds no jar: no registration plug-in is loaded", KEY, directory);
            return List.of();
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            checkJar(jars.get(i));
            urls[i] = url(jars.get(i));
        }
        // Parent: the loader of the SPI, so a plug-in and the server share its one copy of io.registrar.spi.
        URLClassLoader loader = new URLClassLoader("registrar-plugins", urls, RegistrationPlugin.class.getClassLoader());
        List<LoadedPlugin> plugins = new ArrayList<>();
        Iterator<ServiceLoader.Provider<RegistrationPlugin>> providers =
                ServiceLoader.load(RegistrationPlugin.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<RegistrationPlugin> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError e) {
                throw failure(jarDeclaring(jars, e.getMessage()), e);
            }
            if (provider.type().getClassLoader() != loader) {
                continue; // on the server's own class path: not a plug-in of the folder
            }
            Path jar = jarOf(jars, provider.type());
            RegistrationPlugin plugin;
            try {
                plugin = provider.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                throw failure(jar, e);
            }
            log.info("Loaded registration plug-in '{}' ({}) from {}", plugin.name(), provider.type().getName(), jar);
            plugins.add(new LoadedPlugin(plugin, jar));
        }
        // ServiceLoader skips, without a word, a listed class of a named module (the JDK's) or of the server.
        for (Path jar : jars) {
            for (String declared : declared(jar)) {
                if (plugins.stream().noneMatch(p -> p.plugin().getClass().getName().equals(declared))) {
                    throw new ConfigException("registration plug-in " + jar + " cannot be loaded: it lists " + declared + " in "
                            + SERVICES_ENTRY + ", which is not a plug-in class of its own");
                }
            }
        }
        if (plugins.isEmpty()) {
            log.warn("{} '{}': no jar lists an implementation in {}; no registration plug-in is loaded", KEY, directory, SERVICES_ENTRY);
        }
        return List.copyOf(plugins);
    }

    /** A plug-in and the jar it came from. */
    public record LoadedPlugin(RegistrationPlugin plugin, Path jar) {
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("configuration key '" + KEY + "': cannot list '" + dir + "': " + e.getMessage(), e);
        }
    }

    /** A jar that cannot be opened would otherwise be skipped by the class loader without a word. */
    private static void checkJar(Path jar) {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            // opened: readable and a zip
        } catch (IOException e) {
            throw new ConfigException("registration plug-in " + jar + " (" + KEY + ") cannot be loaded: not a readable jar: "
                    + e.getMessage(), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigException failure(Path jar, Throwable e) {
        String what = jar == null ? "a registration plug-in in " + KEY : "registration plug-in " + jar;
        return new ConfigException(what + " cannot be loaded: " + e, e);
    }

    private static Path jarOf(List<Path> jars, Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source != null) {
            for (Path jar : jars) {
                if (url(jar).equals(source.getLocation())) {
                    return jar;
                }
            }
        }
        return jarDeclaring(jars, type.getName());
    }

    /** The jar whose services file names a class that {@code text} (a ServiceLoader error) mentions. */
    private static Path jarDeclaring(List<Path> jars, String text) {
        for (Path jar : jars) {
            for (String declared : declared(jar)) {
                if (text != null && text.matches("(?s).*(^|[^\\w.$])" + java.util.regex.Pattern.quote(declared) + "([^\\w.$]|$).*")) {
                    return jar;
                }
            }
        }
        return null;
    }

    private static List<String> declared(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var entry = file.getJarEntry(SERVICES_ENTRY);
            if (entry == null) {
                return List.of();
            }
            String text = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
