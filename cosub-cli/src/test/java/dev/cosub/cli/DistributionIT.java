package dev.cosub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cosub.runtime.runs.Leaderboard;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributions that {@code mvn package} builds, run as a user would: the launcher script in
 * a fresh process, from another working directory, with no Maven and no class path of the build.
 */
class DistributionIT {

    private static final long MIB = 1024 * 1024;

    private final Path distribution = Path.of(System.getProperty("cosub.distribution"));
    private final Path slimArchive = Path.of(System.getProperty("cosub.slimArchive"));

    @TempDir
    Path work;

    /** What a finished launcher process said and returned. */
    private record Outcome(int exitCode, String output) {}

    @Test
    void theUnpackedDistributionComparesBothMethodsOnRealData() throws Exception {
        Outcome compare = cosub(distribution, Map.of(), "compare", "--architectures", "vit",
                "--seeds", "0", "--trainSubset", "512", "--batchSize", "64", "--epochs", "1",
                "--outputDirectory", "runs");
        assertEquals(0, compare.exitCode(), compare.output());
        assertEquals(2, Leaderboard.read(work.resolve("runs/leaderboard.csv")).size(),
                compare.output());
        assertTrue(Files.isRegularFile(work.resolve("runs/report/index.html")));
        assertTrue(compare.output().contains("2 run(s) compared; trained 2"), compare.output());

        // Through a relative symbolic link elsewhere, as an install into /usr/local/bin makes.
        Path link = Files.createDirectories(work.resolve("elsewhere/bin")).resolve("cosub");
        Files.createSymbolicLink(link, link.getParent().relativize(
                distribution.resolve("bin/cosub")));
        Outcome version = run(List.of(link.toString(), "--version"), Map.of());
        assertTrue(version.output().startsWith("cosub " + System.getProperty("cosub.version")),
                version.output());
        Outcome unknown = run(List.of(link.toString(), "train", "--architecture", "resnet"),
                Map.of());
        assertEquals(Cosub.BAD_INPUT, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("resnet"), unknown.output());
    }

    /**
     * Ctrl-C (SIGINT; a scheduler's SIGTERM is handled alike) during a run: the command says
     * where the run stood and that the same command resumes it, and the rerun does.
     */
    @Test
    void aStoppedRunSaysHowToResumeAndResumes() throws Exception {
        List<String> train = new ArrayList<>(List.of(distribution.resolve("bin/cosub").toString(),
                "train", "--dataset", "synthetic", "--trainSubset", "128", "--batchSize", "64",
                "--epochs", "12", "--evalEvery", "12", "--outputDirectory", "stopped"));
        ProcessBuilder builder = new ProcessBuilder(train).directory(work.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PYTORCH_"));
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("epoch 2/12:")) {
                    // Ctrl-C: SIGINT to the command (Process.destroy would close this stream).
                    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start()
                            .waitFor();
                }
            }
        }
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        // A shell without job control starts background commands (mvn verify &) with SIGINT
        // ignored, and the JVMs below inherit that: the run then trains to its end.
        assertTrue(process.exitValue() == 130 || !output.toString().contains("epoch 12/12:"),
                "SIGINT did not reach the command: it trained all 12 epochs. Run this build in"
                        + " the foreground, or with job control (set -m), not as 'cmd &' from a"
                        + " script, which ignores SIGINT");
        assertEquals(130, process.exitValue(), output.toString());
        java.util.regex.Matcher said = java.util.regex.Pattern.compile("cosub: interrupted"
                + " vit-nano cosub seed 0; it has a checkpoint of epoch (\\d+) of 12: run the same"
                + " command to resume from there\n$").matcher(output);
        assertTrue(said.find(), output.toString());

        Outcome rerun = cosub(distribution, Map.of(), train.subList(1, train.size())
                .toArray(String[]::new));
        assertEquals(0, rerun.exitCode(), rerun.output());
        assertTrue(rerun.output().contains("resuming from the checkpoint of epoch "
                + said.group(1) + " of 12"), rerun.output());
    }

    /**
     * The archive without libtorch stays small, refuses to train until it is told where a
     * libtorch is, and trains with the one DJL unpacked for the full distribution.
     */
    @Test
    void theSlimArchiveTrainsWithTheHostsLibtorch() throws Exception {
        assertTrue(Files.size(slimArchive) < 60 * MIB, "the archive holds "
                + Files.size(slimArchive) / MIB + " MiB");
        Path slim = unpackSlim();
        String[] train = {"train", "--architecture", "convnext", "--method", "baseline",
            "--trainSubset", "256", "--batchSize", "64", "--epochs", "1", "--no-fork",
            "--outputDirectory", "slim-runs"};

        Outcome refused = cosub(slim, Map.of(), train);
        assertEquals(Cosub.BAD_INPUT, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("PYTORCH_LIBRARY_PATH"), refused.output());

        Outcome trained = cosub(slim, Map.of("PYTORCH_LIBRARY_PATH", cpuLibtorch().toString(),
                "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu"), train);
        assertEquals(0, trained.exitCode(), trained.output());
        assertEquals(1, Leaderboard.read(work.resolve("slim-runs/leaderboard.csv")).size());
    }

    /**
     * The packed Java runtime runs the tool on its own (JAVA_HOME pointing nowhere), forks its
     * training JVMs, decodes PNG files, and holds every module that jdeps finds the jars use.
     */
    @Test
    void thePackedJavaRuntimeRunsTheToolWithoutAnotherJava() throws Exception {
        Path jdkModules = Path.of(System.getProperty("java.home"), "jmods");
        assumeTrue(Files.isDirectory(jdkModules), "the building JDK has no " + jdkModules
                + ", so no runtime is packed");
        for (Path home : List.of(distribution, unpackSlim())) {
            assertTrue(Files.isExecutable(home.resolve("runtime/bin/java")), home.toString());
        }
        Path folder = work.resolve("pictures");
        for (String split : List.of("train", "val")) {
            for (int label = 0; label < 2; label++) {
                Path classFolder = Files.createDirectories(folder.resolve(split).resolve("c" + label));
                for (int i = 0; i < 16; i++) {
                    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                    image.getRaster().setSample(i % 28, label * 14, 0, 255);
                    ImageIO.write(image, "png", classFolder.resolve(i + ".png").toFile());
                }
            }
        }
        Outcome trained = cosub(distribution, Map.of("JAVA_HOME", "/nonexistent"), "train",
                "--architecture", "convnext", "--dataset", "folder", "--dataDirectory",
                folder.toString(), "--batchSize", "16", "--epochs", "1", "--outputDirectory",
                "folder-runs");
        assertEquals(0, trained.exitCode(), trained.output());

        String modules = Files.readAllLines(distribution.resolve("runtime/release")).stream()
                .filter(line -> line.startsWith("MODULES=")).findFirst().orElseThrow();
        List<String> jdeps = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
                "bin", "jdeps").toString(), "--multi-release", "17", "--ignore-missing-deps",
                "--print-module-deps", "-cp", distribution.resolve("lib") + "/*"));
        try (Stream<Path> jars = Files.list(distribution.resolve("lib"))) {
            jars.map(Path::toString).sorted().forEach(jdeps::add);
        }
        // The product carries no benchmark harness: the suites live in the runtime.
        jdeps.stream().filter(jar -> jar.contains("jmh") || jar.contains("benchmark-suites"))
                .findAny().ifPresent(jar -> fail("the distribution ships " + jar));
        Outcome used = run(jdeps, Map.of());
        assertEquals(0, used.exitCode(), used.output());
        String needed = used.output().lines().reduce((first, last) -> last).orElseThrow();
        for (String module : needed.split(",")) {
            assertTrue(List.of(modules.substring(9, modules.length() - 1).split(" "))
                    .contains(module), module + " is used by the jars but not in the runtime: "
                    + modules);
        }
    }

    private Path unpackSlim() throws Exception {
        Path into = Files.createDirectories(work.resolve("slim"));
        run(List.of("tar", "-xzf", slimArchive.toString(), "-C", into.toString()), Map.of());
        try (Stream<Path> unpacked = Files.list(into)) {
            return unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** The CPU libtorch that DJL unpacked from the full distribution's native jar. */
    private Path cpuLibtorch() throws Exception {
        cosub(distribution, Map.of(), "train", "--dataset", "synthetic", "--trainSubset", "64",
                "--batchSize", "64", "--epochs", "1", "--no-fork", "--outputDirectory",
                "warm-up");
        // Where DJL keeps engines: ENGINE_CACHE_DIR, else DJL_CACHE_DIR, else ~/.djl.ai.
        String engineCache = System.getenv("ENGINE_CACHE_DIR");
        String djlCache = System.getenv("DJL_CACHE_DIR");
        Path cache = (engineCache != null ? Path.of(engineCache)
                : djlCache != null ? Path.of(djlCache)
                : Path.of(System.getProperty("user.home"), ".djl.ai")).resolve("pytorch");
        try (Stream<Path> versions = Files.list(cache)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("2\\.7\\.1-.*cpu.*"))
                    .filter(dir -> Files.isRegularFile(dir.resolve("libtorch.so")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no CPU libtorch 2.7.1 under " + cache));
        }
    }

    private Outcome cosub(Path home, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/cosub").toString()));
        command.addAll(List.of(args));
        return run(command, environment);
    }

    private Outcome run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true);
        Path log = Files.createTempFile(work, "process", ".log");
        builder.redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // The user's shell: nothing of the build's class path or libtorch settings.
        env.keySet().removeIf(name -> name.startsWith("PYTORCH_") || name.startsWith("MAVEN")
                || name.equals("CLASSPATH"));
        env.putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " ran over 10 minutes:\n" + Files.readString(log));
        }
        return new Outcome(process.exitValue(), Files.readString(log));
    }
}
