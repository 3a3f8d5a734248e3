package dev.cosub.runtime.fork;

import dev.cosub.runtime.engine.RunningTrainings;
import dev.cosub.runtime.runs.Failure;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a Java main class in a child JVM with a tuned native runtime, streams its output line by
 * line, and reports how it ended. The child watches this JVM's process: when this JVM dies, even
 * by SIGKILL, the child stops too instead of training on alone.
 */
public final class ChildJvm {

    /** Lines of output kept to explain a child that died. */
    static final int TAIL_LINES = 20;

    private ChildJvm() {}

    /**
     * How a child ended.
     *
     * @param exitCode its exit status (128 + n when signal n killed it)
     * @param tail its last lines of output
     */
    public record Exit(int exitCode, List<String> tail) {

        /** What the exit code means, e.g. "exit code 137 (killed by SIGKILL: ...)". */
        public String describe() {
            return "exit code " + exitCode + switch (exitCode) {
                case 134 -> " (SIGABRT: a native abort, e.g. an assertion or allocation failure"
                        + " in libtorch)";
                case 137 -> " (SIGKILL: killed, e.g. by the kernel's out-of-memory killer or a"
                        + " cancelled job)";
                case 139 -> " (SIGSEGV: a native crash)";
                case 143 -> " (SIGTERM: asked to stop)";
                default -> "";
            };
        }
    }

    /** The full command line that runs {@code mainClass} with {@code arguments}. */
    static List<String> command(ForkOptions options, NativeRuntime nativeRuntime,
            String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(options.javaExecutable().toString());
        command.addAll(nativeRuntime.jvmArgs());
        command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        String registry = System.getProperty(RunningTrainings.DIRECTORY_PROPERTY);
        if (registry != null) {
            // Parent and child look for other trainings in the same place.
            command.add("-D" + RunningTrainings.DIRECTORY_PROPERTY + "=" + registry);
        }
        command.addAll(options.jvmArgs());
        if (Failure.debug()) {
            command.add("-D" + Failure.DEBUG_PROPERTY + "=true");
        }
        command.add("-cp");
        command.add(options.classpath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /** The environment of the child: this JVM's, then the tuned settings, then the user's. */
    static Map<String, String> environment(ForkOptions options, NativeRuntime nativeRuntime) {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(nativeRuntime.environment());
        environment.putAll(options.environment());
        return environment;
    }

    /**
     * Runs {@code mainClass} in a child JVM set up by {@code options}, to its end.
     *
     * @param output receives each line the child prints, standard error included
     */
    public static Exit run(ForkOptions options, String mainClass, List<String> arguments,
            Consumer<String> output) throws IOException {
        NativeRuntime nativeRuntime = NativeRuntime.choose(options.threads(),
                Runtime.getRuntime().availableProcessors(),
                RunningTrainings.ofThisUser().count());
        return run(command(options, nativeRuntime, mainClass, arguments),
                environment(options, nativeRuntime), output);
    }

    /**
     * Runs a child process with exactly {@code environment}, to its end.
     *
     * @param output receives each line the child prints, standard error included
     */
    public static Exit run(List<String> command, Map<String, String> environment,
            Consumer<String> output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        // If this JVM is stopped normally (Ctrl-C), the child goes with it.
        Thread stopChild = new Thread(process::destroyForcibly, "cosub-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.accept(line);
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            return new Exit(process.waitFor(), List.copyOf(tail));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while the child JVM ran; it was stopped", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or will run: nothing to remove.
            }
        }
    }

    /**
     * Called first by a child's main: ends the child when the JVM that launched it ends, however
     * it ends. A child started by hand, without {@value #PARENT_PID_PROPERTY}, runs on its own.
     */
    public static void exitWithParent() {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                parent -> parent.onExit().thenRun(ChildJvm::parentGone),
                ChildJvm::parentGone);
    }

    private static void parentGone() {
        System.err.println("cosub: the process that started this training is gone; stopping");
        Runtime.getRuntime().halt(PARENT_GONE);
    }


    /** The exit status of a child whose parent died. */
    static final int PARENT_GONE = 70;

    /** The system property that tells a child which process to outlive not. */
    public static final String PARENT_PID_PROPERTY = "cosub.parentPid";
}
