package io.registrar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "serve", description = "Start the server with your configuration.",
        footer = {"%nThe configuration is registrar-defaults.yaml (the reference for every key),",
                "then FILE, then REGISTRAR_* environment variables (REGISTRAR_SERVER__PORT=9443",
                "sets server.port)."})
final class ServeCommand extends ServerCommand {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The configuration file (default: $REGISTRAR_CONFIG).")
    Path config;

    @Override
    boolean demo() {
        return false;
    }

    @Override
    Path configFile() {
        return config;
    }
}
