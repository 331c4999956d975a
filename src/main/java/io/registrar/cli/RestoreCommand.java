package io.registrar.cli;

import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.store.jdbc.EmbeddedRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code registrar restore FILE}: puts a zip that {@code registrar backup} saved in place of the embedded
 * database of the configuration's data folder. Offline, with the server stopped; the database it replaces
 * is kept beside it under a new name.
 */
@Command(name = "restore", description = "Put a backup in place of the embedded database; the server must be stopped.",
        footer = {"%nThe database it replaces is renamed registrar-before-restore-<UTC time>.mv.db, not deleted.",
                "Then start the server as usual; it migrates a backup of an older version at start."})
final class RestoreCommand extends MainSubcommand {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The server's configuration file (default: $REGISTRAR_CONFIG); its storage.dataDir is restored.")
    Path config;

    @Option(names = "--demo", description = "The demo's configuration (run where ./registrar demo runs).")
    boolean demo;

    @Parameters(paramLabel = "FILE", description = "A zip saved by registrar backup.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RegistrarConfig configuration = main.configs.load(demo, config);
            EmbeddedRestore.Restored r = EmbeddedRestore.restore(configuration.storage(), file, Instant.now());
            out.println("restored " + file + " into " + r.database() + ": " + r.clients() + " dynamic client"
                    + (r.clients() == 1 ? "" : "s"));
            if (r.previous() != null) {
                out.println("the database it replaced is kept as " + r.previous());
            }
            out.flush();
            return Main.OK;
        } catch (ConfigException e) {
            err.println("registrar restore: " + e.getMessage());
            return Main.USAGE;
        } catch (EmbeddedRestore.Refused e) {
            err.println("registrar restore: " + e.getMessage());
            return Main.FAILED;
        }
    }
}
