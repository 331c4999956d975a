package io.registrar.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * What every command directly under {@code registrar} has: {@code -h/--help}, its own model (for its
 * output streams and usage errors) and {@link Main} (for the configuration source). Picocli reads
 * these annotated fields from the superclass as from the command itself.
 */
abstract class MainSubcommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;
}
