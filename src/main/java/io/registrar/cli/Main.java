package io.registrar.cli;

import io.registrar.config.ConfigException;
import io.registrar.config.ConfigLoader;
import io.registrar.crypto.DemoDirectory;
import io.registrar.config.RegistrarConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code registrar} command: {@code serve}, {@code demo}, {@code clients}, {@code explain}, {@code backup} and
 * {@code restore}. Parsing, usage and errors are picocli's, so every command and subcommand answers
 * {@code --help}, and an unknown command or option is refused by name (exit 2) before anything starts. The {@code ./registrar} launcher runs
 * {@code test}, {@code bench} and {@code build} itself and hands everything else to this class.
 */
@Command(name = "registrar",
        description = "OAuth 2.0 / OpenID Connect authorization server centred on Dynamic Client Registration (RFC 7591, RFC 7592).",
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nThe ./registrar launcher also runs:%n",
        footer = {
                "  test     the whole test suite (embedded H2 and PostgreSQL)",
                "  bench    the benchmark: bench [seconds] [concurrency] [both|h2|postgresql|startup]",
                "  build    (re)build target/registrar.jar",
                "",
                "Run 'registrar COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {

    /** Exit codes: done, failed (refused, unreachable, port in use), usage or configuration error. */
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Loads the configuration a command names: the defaults, the demo profile if asked, the file, the environment. */
    @FunctionalInterface
    public interface ConfigSource {
        RegistrarConfig load(boolean demo, Path file);
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    final ConfigSource configs;

    /** registrar-demo.yaml's storage.dataDir, where the demo directory lives (registrar directory's --data default). */
    static final Path DEMO_DATA = Path.of("data", "demo");
    /** The commands under {@code registrar}, in the order its usage lists them. */
    private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, DemoCommand.class, ClientsCommand.class, ExplainCommand.class,
            BackupCommand.class, RestoreCommand.class, DirectoryCommand.class, CommandLine.HelpCommand.class);

    /** Set by {@code serve} and {@code demo} once the server runs: the process then lives on after {@link #main}. */
    boolean serving;

    private Main(ConfigSource configs) {
        this.configs = configs;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"))) {
            // While picocli parses and the configuration loads, the other core prepares what starting needs.
            ServerCommand.warmUpInBackground();
        } else if (args.length > 0 && (args[0].equals("clients") || args[0].equals("explain") || args[0].equals("backup"))) {
            ClientsCommand.warmUpInBackground();
        }
        Map<String, String> env = System.getenv();
        Main main = new Main(fromEnvironment(env));
        int code = commandLine(main, System.out, System.err, args).execute(args);
        if (code != OK || !main.serving) {
            System.exit(code);
        }
    }

    /**
     * Runs one command line in this process and returns its exit code; for tests and embedders. A
     * server that {@code serve} or {@code demo} starts this way stops when the JVM does.
     */
    public static int run(ConfigSource configs, PrintStream out, PrintStream err, String... args) {
        return commandLine(new Main(configs), out, err, args).execute(args);
    }

    /** The usual source: {@code --config FILE}, else {@code $REGISTRAR_CONFIG}, over the defaults and the environment. */
    public static ConfigSource fromEnvironment(Map<String, String> env) {
        return (demo, file) -> {
            Path chosen = file != null ? file : env.get("REGISTRAR_CONFIG") == null || env.get("REGISTRAR_CONFIG").isBlank()
                    ? null : Path.of(env.get("REGISTRAR_CONFIG"));
            if (demo) {
                // The demo's configuration trusts the demo directory's CA and keys, made once in its data folder.
                DemoDirectory.ensure(DEMO_DATA);
            }
            try {
                return new ConfigLoader().load(demo, chosen, env);
            } catch (ConfigException e) {
                if (demo || chosen != null || env.keySet().stream().anyMatch(k -> k.startsWith("REGISTRAR_"))) {
                    throw e;
                }
                // The defaults alone never make a server; say what was missing, not only which key.
                throw new ConfigException(e.getMessage() + " (no configuration was given: pass --config FILE or set "
                        + "REGISTRAR_CONFIG, or use --demo for the demo)", e);
            }
        };
    }

    /**
     * The command line for {@code args}. Picocli builds the model of every command it is given, a good
     * part of a short command's run on a cold JVM, so a command line that starts with a command's name
     * gets that command alone: its parsing, usage and errors are the same. Anything else (no command,
     * {@code help}, an option, an unknown command) gets them all, to list them or to say which is meant.
     */
    private static CommandLine commandLine(Main main, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(main);
        List<Class<?>> named = COMMANDS.stream()
                .filter(c -> args.length > 0 && c != CommandLine.HelpCommand.class && args[0].equals(c.getAnnotation(Command.class).name()))
                .toList();
        for (Class<?> command : named.isEmpty() ? COMMANDS : named) {
            cli.addSubcommand(command);
        }
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("registrar: " + e);
            return FAILED;
        });
        return cli;
    }

    /** No command: the usage, as an error (a bare {@code registrar} used to start a server that then failed on its keystore). */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: serve, demo, clients, explain, backup, restore or help");
    }
}
