package io.registrar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "demo", description = "Start on the embedded database with the demo configuration.",
        footer = {"%nThe demo has a self-signed certificate, static clients, a demo user and a template,",
                "all printed at start-up; its data is kept in ./data/demo."})
final class DemoCommand extends ServerCommand {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A configuration file layered over the demo's.")
    Path config;

    @Override
    boolean demo() {
        return true;
    }

    @Override
    Path configFile() {
        return config;
    }
}
