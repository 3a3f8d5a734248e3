package dev.cosub.runtime.fork;

import dev.cosub.runtime.train.RunConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether and how training runs in a child JVM, the way Maven Surefire forks tests: a native
 * crash of libtorch then fails one run instead of the build's JVM, and the child's native
 * runtime (allocator, OpenMP and libtorch threads) is set up for speed, which only a process
 * started for the purpose can do.
 *
 * @param enabled {@code false} trains in the calling JVM
 * @param javaExecutable the {@code java} launcher of the child
 * @param classpath the child's class path: the cosub runtime and its dependencies
 * @param jvmArgs extra JVM arguments, after the tuned ones (so they win)
 * @param environment extra environment variables, over the tuned ones (so they win)
 * @param threads libtorch's intra-op threads, the OpenMP threads with them; {@code null} shares
 *     the processors with the other cosub trainings running ({@link NativeRuntime})
 */
public record ForkOptions(boolean enabled, Path javaExecutable, List<Path> classpath,
        List<String> jvmArgs, Map<String, String> environment, Integer threads) {

    public ForkOptions {
        classpath = List.copyOf(classpath);
        jvmArgs = List.copyOf(jvmArgs);
        environment = Map.copyOf(environment);
        if (threads != null && (threads < 1 || threads > RunConfig.MAX_THREADS)) {
            throw new IllegalArgumentException("threads = " + threads + " is invalid: expected"
                    + " from 1 to " + RunConfig.MAX_THREADS + " (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " processors)");
        }
        if (enabled && classpath.isEmpty()) {
            throw new IllegalArgumentException("a forked training JVM needs a class path");
        }
    }

    /** Training in the calling JVM. */
    public static ForkOptions inProcess() {
        return new ForkOptions(false, currentJava(), List.of(), List.of(), Map.of(), null);
    }

    /** A child JVM with this JVM's launcher, the given class path and the tuned defaults. */
    public static ForkOptions child(List<Path> classpath) {
        return new ForkOptions(true, currentJava(), classpath, List.of(), Map.of(), null);
    }

    /** The same options with other extras; {@code null} threads share the processors. */
    public ForkOptions with(List<String> extraJvmArgs, Map<String, String> extraEnvironment,
            Integer intraOpThreads) {
        return new ForkOptions(enabled, javaExecutable, classpath, extraJvmArgs,
                extraEnvironment, intraOpThreads);
    }

    /** The {@code java} launcher of the running JVM. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The class path of the running JVM, for tools started with {@code java -cp}. */
    public static List<Path> currentClasspath() {
        return java.util.Arrays.stream(
                        System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
    }
}
