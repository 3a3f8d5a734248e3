package dev.cosub.bench;

import dev.cosub.runtime.fork.ChildJvm;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.train.Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training speed as a user gets it from {@code mvn cosub:train}: inside the Maven JVM
 * ({@code fork=false}) against a forked training JVM with its tuned native runtime
 * ({@code fork=true}), for every nano architecture and both methods. A throwaway consumer
 * project declares the plugin; the two modes alternate run by run, the first of each pair
 * switching every round, so that a noisy machine slows them alike.
 *
 * <pre>
 * MavenForkComparison --version PLUGIN_VERSION [--architectures a,b] [--train-subset 4000]
 *                     [--epochs 2] [--rounds 1] [--out DIR]
 * </pre>
 */
public final class MavenForkComparison {

    private MavenForkComparison() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = ProgramOptions.parse(args, List.of("version",
                "architectures", "train-subset", "epochs", "rounds", "out"));
        String version = options.get("version");
        if (version == null) {
            throw new IllegalArgumentException("--version: the cosub-maven-plugin version to use");
        }
        List<String> architectures = List.of(options.getOrDefault("architectures",
                String.join(",", Architectures.names())).split(","));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        Path out = Path.of(options.getOrDefault("out", "target/maven-fork-comparison"))
                .toAbsolutePath();
        Files.createDirectories(out);
        Files.writeString(out.resolve("pom.xml"), consumerPom(version));
        Map<String, List<Throughput>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String architecture : architectures) {
                for (String method : List.of("baseline", "cosub")) {
                    List<Boolean> order = round % 2 == 0 ? List.of(false, true)
                            : List.of(true, false);
                    for (boolean fork : order) {
                        String key = architecture + "|" + method + "|" + fork;
                        Throughput speed = train(out, round, architecture, method, fork,
                                options.getOrDefault("train-subset", "4000"),
                                options.getOrDefault("epochs", "2"));
                        results.computeIfAbsent(key, k -> new ArrayList<>()).add(speed);
                        System.out.printf(Locale.ROOT, "%s %s fork=%s: %.0f img/s, %.1f%% of"
                                        + " the matmul peak%n", architecture, method, fork,
                                speed.imagesPerSecond(), 100 * speed.fractionOfPeak());
                    }
                }
            }
        }
        String table = table(architectures, rounds, options, results);
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("comparison.md"), table);
    }

    private static Throughput train(Path project, int round, String architecture,
            String method, boolean fork, String trainSubset, String epochs) throws IOException {
        Path output = project.resolve("out-r" + round + "-" + architecture + "-" + method
                + "-fork-" + fork);
        List<String> command = List.of("mvn", "-B", "-q", "-o", "-f",
                project.resolve("pom.xml").toString(), "cosub:train",
                "-Dcosub.architecture=" + architecture, "-Dcosub.method=" + method,
                "-Dcosub.trainSubset=" + trainSubset, "-Dcosub.epochs=" + epochs,
                "-Dcosub.evalEvery=" + epochs, "-Dcosub.device=cpu", "-Dcosub.fork=" + fork,
                "-Dcosub.outputDirectory=" + output);
        List<String> lines = new ArrayList<>();
        ChildJvm.Exit exit = ChildJvm.run(command, System.getenv(), lines::add);
        if (exit.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " ended with " + exit.describe()
                    + ":\n" + String.join("\n", exit.tail()));
        }
        Path run = new RunStore(output).list().get(0).directory();
        return Json.read(run.resolve("run.json"), RunRecord.class).result().throughput();
    }

    private static String table(List<String> architectures, int rounds,
            Map<String, String> options, Map<String, List<Throughput>> results) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "`mvn cosub:train` of each nano architecture on %s Fashion-MNIST images for %s"
                        + " epochs, batch 128, CPU, %d round(s); img/s is the median over a"
                        + " run's 16-step windows (median over rounds); %% of peak is model"
                        + " FLOP/s over the float32 matmul peak measured in the same training"
                        + " process.%n%n", options.getOrDefault("train-subset", "4000"),
                options.getOrDefault("epochs", "2"), rounds));
        md.append("| architecture | baseline in Maven | baseline forked | speed-up"
                + " | cosub in Maven | cosub forked | speed-up | baseline forked % of peak"
                + " | cosub forked % of peak |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String architecture : architectures) {
            double baselineIn = rate(results, architecture, "baseline", false);
            double baselineForked = rate(results, architecture, "baseline", true);
            double cosubIn = rate(results, architecture, "cosub", false);
            double cosubForked = rate(results, architecture, "cosub", true);
            md.append(String.format(Locale.ROOT,
                    "| %s-nano | %.0f | %.0f | %.2f× | %.0f | %.0f | %.2f× | %.1f%% | %.1f%% |%n",
                    architecture, baselineIn, baselineForked, baselineForked / baselineIn,
                    cosubIn, cosubForked, cosubForked / cosubIn,
                    100 * peakShare(results, architecture, "baseline"),
                    100 * peakShare(results, architecture, "cosub")));
        }
        return md.toString();
    }

    private static double rate(Map<String, List<Throughput>> results, String architecture,
            String method, boolean fork) {
        return dev.cosub.runtime.stats.Statistics.median(results
                .get(architecture + "|" + method + "|" + fork).stream()
                .mapToDouble(Throughput::imagesPerSecond).toArray());
    }

    private static double peakShare(Map<String, List<Throughput>> results, String architecture,
            String method) {
        return dev.cosub.runtime.stats.Statistics.median(results
                .get(architecture + "|" + method + "|true").stream()
                .mapToDouble(Throughput::fractionOfPeak).toArray());
    }

    private static String consumerPom(String version) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.cosub.bench</groupId>
                  <artifactId>maven-fork-comparison</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>dev.cosub</groupId>
                        <artifactId>cosub-maven-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version);
    }
}
