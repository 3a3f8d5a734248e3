package dev.cosub.cli;

import dev.cosub.runtime.eval.AccuracyGate;
import dev.cosub.runtime.export.ModelExport;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.goals.Goals;
import dev.cosub.runtime.runs.CodeVersion;
import dev.cosub.runtime.runs.Failure;
import dev.cosub.runtime.runs.Grid;
import dev.cosub.runtime.runs.Shard;
import dev.cosub.runtime.suites.SuiteRunner;
import dev.cosub.runtime.suites.Suites;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunParameter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The {@code cosub} command: the plugin's goals and the benchmark suites from a shell, on the
 * same runtime and with the same parameter names, for hosts without Maven. Exit codes a
 * scheduler can act on: 0 done, 1 the accuracy gate failed, 2 bad input, 3 training failed.
 */
@Command(name = "cosub", mixinStandardHelpOptions = true, versionProvider = Cosub.Version.class,
        description = "Submodel co-training (cosub) against the stochastic-depth baseline.",
        subcommands = {Cosub.Train.class, Cosub.Eval.class, Cosub.Export.class,
            Cosub.Predict.class, Cosub.Compare.class,
            Cosub.Report.class, Cosub.Suite.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the accuracy gate failed",
            "2:bad input: an option, a file, the data", "3:training failed: it diverged, its"
                    + " JVM died, or the engine failed"})
public final class Cosub implements Callable<Integer> {

    public static final int GATE_FAILED = Failure.Outcome.GATE_FAILED.exitCode();
    public static final int BAD_INPUT = Failure.Outcome.BAD_INPUT.exitCode();
    public static final int TRAINING_FAILED = Failure.Outcome.TRAINING_FAILED.exitCode();

    /** Results on standard output, warnings on standard error (whichever streams are set). */
    private static final Goals.Log LOG = new Goals.Log(line -> System.out.println(line),
            line -> System.err.println(line));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace of a failure")
    void debug(boolean on) {
        if (on) {
            System.setProperty(Failure.DEBUG_PROPERTY, "true");
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    static int execute(String... args) {
        CommandLine commandLine = commandLine();
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            Failure failure = Failure.of(e, null, null);
            PrintWriter err = line.getErr();
            if (Failure.debug()) {
                e.printStackTrace(err);
            }
            err.println("cosub: " + failure.message());
            err.flush();
            return failure.outcome().exitCode();
        });
        try {
            return commandLine.execute(args);
        } finally {
            System.clearProperty(Failure.DEBUG_PROPERTY);
        }
    }

    /**
     * The command line: the commands that train or find runs get one option per
     * {@link RunParameter}.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Cosub());
        for (String command : List.of("train", "eval", "export", "compare", "suite")) {
            commandLine.getSubcommands().get(command).getCommandSpec()
                    .addMixin(RunOptions.MIXIN, RunOptions.spec());
        }
        return commandLine;
    }

    /** No command given: the usage, on the error stream, as bad input. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    /** The version and commit the build embedded in the runtime; and the Java it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cosub " + CodeVersion.describe(CodeVersion.current()),
                "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }

    /** Where runs go and how they train, shared by every command that trains or reads runs. */
    static final class Output {
        @Option(names = "--outputDirectory", paramLabel = "DIR", defaultValue = "cosub-output",
                description = "runs, the leaderboard, tables and report (default: ${DEFAULT-VALUE})")
        Path outputDirectory;

        @Mixin TrainingJvm trainingJvm;

        @Option(names = "--resume", negatable = true, defaultValue = "true",
                fallbackValue = "true",
                description = "continue an interrupted run from its checkpoint (default: ${DEFAULT-VALUE})")
        boolean resume;

        @Option(names = "--force", description = "train again a configuration that has a run")
        boolean force;

        @Option(names = "--cleanStaging", description = "remove the staging folders of"
                + " interrupted runs that will not be resumed")
        boolean cleanStaging;

        Goals.Workspace workspace() {
            // The project is the folder the command runs in: its git commit, if any, is recorded.
            return new Goals.Workspace(outputDirectory, Path.of("").toAbsolutePath(),
                    trainingJvm.options(), resume, force, cleanStaging);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Trains one configuration: a run folder and a leaderboard row.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            Goals.train(output.workspace(), RunOptions.builder(spec).build(), LOG);
            return 0;
        }
    }

    /** Which run a command that reads one takes: given, or the latest of a configuration. */
    static final class FoundRun {
        @Option(names = "--outputDirectory", paramLabel = "DIR", defaultValue = "cosub-output",
                description = "where the runs are (default: ${DEFAULT-VALUE})")
        Path outputDirectory;

        @Option(names = "--runDirectory", paramLabel = "DIR",
                description = "the run folder (default: the latest run of the configuration)")
        Path runDirectory;
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluates a run on its test images; exit code 1 below the thresholds.")
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin FoundRun run;

        @Option(names = "--minTop1", description = "lowest acceptable top-1, e.g. 0.85")
        Double minTop1;

        @Option(names = "--minTop5", description = "lowest acceptable top-5")
        Double minTop5;

        @Option(names = "--allowOtherData",
                description = "evaluate on data that differs from the run's")
        boolean allowOtherData;

        @Override
        public Integer call() throws Exception {
            Goals.Result result = Goals.eval(run.outputDirectory,
                    RunOptions.builder(spec).build(), run.runDirectory,
                    RunOptions.given(spec, RunParameter.DATASET),
                    RunOptions.givenPath(spec, RunParameter.DATA_DIRECTORY),
                    new AccuracyGate(minTop1, minTop5), allowOtherData, LOG);
            if (result.outcome() != Failure.Outcome.DONE) {
                System.err.println(result.message());
            }
            return result.outcome().exitCode();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes a run's network as a DJL model folder that an application"
                    + " loads with DJL's Criteria (optModelPath), cosub-runtime on its class"
                    + " path.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin FoundRun run;

        @Option(names = "--exportDirectory", paramLabel = "DIR",
                description = "the model folder to write, which must not exist (default:"
                        + " <outputDirectory>/models/<run id>)")
        Path exportDirectory;

        @Option(names = "--format", defaultValue = "djl", paramLabel = "FORMAT",
                description = "djl: a model folder for DJL's Criteria; safetensors: the weights"
                        + " under timm's names (ViT, DeiT III, ConvNeXt with a stride-4 stem;"
                        + " cosub's names otherwise) and model.json, for PyTorch (default:"
                        + " ${DEFAULT-VALUE})")
        String format;

        @Override
        public Integer call() throws Exception {
            Goals.export(run.outputDirectory, RunOptions.builder(spec).build(),
                    run.runDirectory, exportDirectory, ModelExport.Format.parse(format), LOG);
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Prints the most probable classes of each image with a run's network,"
                    + " preprocessed as the run's evaluation was; exit code 2 when an image was"
                    + " skipped.")
    static final class Predict implements Callable<Integer> {
        @Option(names = {"--runDirectory", "--run"}, paramLabel = "DIR", required = true,
                description = "the run folder")
        Path runDirectory;

        @Option(names = "--top", defaultValue = "5",
                description = "classes per image (default: ${DEFAULT-VALUE})")
        int top;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "IMAGE",
                description = "PNG or JPEG files, or folders of them")
        List<Path> images;

        @Override
        public Integer call() throws Exception {
            Goals.Result result = Goals.predict(runDirectory, images, top, LOG);
            if (result.outcome() != Failure.Outcome.DONE) {
                System.err.println(result.message());
            }
            return result.outcome().exitCode();
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Trains what is missing of architectures x methods x seeds x budgets"
                    + " (or one shard of it), merges leaderboards, writes tables and the report.")
    static final class Compare implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin Output output;

        @Option(names = "--architectures", description = "comma-separated (default: --architecture)")
        String architectures;

        @Option(names = "--methods", defaultValue = "baseline,cosub",
                description = "comma-separated (default: ${DEFAULT-VALUE})")
        String methods;

        @Option(names = "--seeds", description = "comma-separated (default: --seed)")
        String seeds;

        @Option(names = "--budgets", description = "epochs, compute or both (default: --budget)")
        String budgets;

        @Option(names = "--leaderboards", split = ",", paramLabel = "CSV",
                description = "leaderboards to merge first, e.g. of other shards")
        List<Path> leaderboards = List.of();

        @Option(names = "--trainMissing", negatable = true, defaultValue = "true",
                fallbackValue = "true",
                description = "train the configurations without a run (default: ${DEFAULT-VALUE})")
        boolean trainMissing;

        @Option(names = "--shard", paramLabel = "i/n",
                description = "train only the i-th of n parts of the grid (0-based)")
        String shard;

        @Override
        public Integer call() throws Exception {
            RunConfig defaults = RunOptions.builder(spec).build();
            List<RunConfig> whole = Grid.of(() -> RunOptions.builder(spec),
                    Grid.list("architectures", architectures, defaults.architecture()),
                    Grid.list("methods", methods, defaults.method().toString()),
                    Grid.seeds(seeds, defaults.seed()),
                    Grid.list("budgets", budgets, defaults.budget().toString()));
            Goals.compare(output.workspace(), whole, Shard.parse(shard), leaderboards,
                    trainMissing, LOG);
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Writes the tables and the report of every run of the leaderboard.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--outputDirectory", paramLabel = "DIR", defaultValue = "cosub-output",
                description = "the runs to report on (default: ${DEFAULT-VALUE})")
        Path outputDirectory;

        @Override
        public Integer call() throws Exception {
            Goals.report(outputDirectory, LOG);
            return 0;
        }
    }

    @Command(name = "suite", mixinStandardHelpOptions = true,
            description = {"Runs a named benchmark suite: its runs side by side, their"
                    + " comparison and a speed table (--list names the suites).",
                "A run option given (--epochs, --trainSubset, --device, ...) replaces the"
                        + " suite's own in every run; one that the suite varies, such as"
                        + " --method, makes its runs one."})
    static final class Suite implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "the suite")
        String name;

        @Option(names = "--list", description = "list the suites and what each measures")
        boolean list;

        @Option(names = "--outputDirectory", paramLabel = "DIR", defaultValue = "cosub-suites",
                description = "holds a folder per suite (default: ${DEFAULT-VALUE})")
        Path outputDirectory;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--rounds", defaultValue = "1",
                description = "train every run this many times, in turn (default: ${DEFAULT-VALUE})")
        int rounds;

        @Mixin TrainingJvm trainingJvm;

        @Option(names = "--reuse", description = "keep the runs the suite's folder has instead"
                + " of measuring them again, e.g. to finish an interrupted suite")
        boolean reuse;

        @Override
        public Integer call() throws Exception {
            if (list) {
                Suites.all(outputDirectory, UnaryOperator.identity()).values().forEach(suite ->
                        System.out.println(suite.name() + ": " + suite.description()));
                return 0;
            }
            if (name == null) {
                throw new IllegalArgumentException("a suite name is needed: cosub suite --list"
                        + " names them");
            }
            SuiteRunner.run(name, outputDirectory, builder -> RunOptions.applyTo(spec, builder), rounds,
                    trainingJvm.options(), reuse);
            return 0;
        }
    }

    /** Where runs train: each in a child JVM (with how many libtorch threads), or in this one. */
    static final class TrainingJvm {
        @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "train each run in its own JVM (default: ${DEFAULT-VALUE})")
        boolean fork;

        @Option(names = "--threads", description = "libtorch threads of a training JVM"
                + " (default: a share of the processors with the other cosub trainings running)")
        Integer threads;

        ForkOptions options() {
            return fork
                    ? ForkOptions.child(ForkOptions.currentClasspath()).with(List.of(), Map.of(),
                            threads)
                    : ForkOptions.inProcess();
        }
    }
}
