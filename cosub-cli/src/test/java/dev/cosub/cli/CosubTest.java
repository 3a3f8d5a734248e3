package dev.cosub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.ImageFolderExport;
import dev.cosub.runtime.runs.Leaderboard;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.train.Method;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a scheduler sees it: exit codes, and the files it leaves. */
@Tag("slow") // trains through the command
class CosubTest {

    @TempDir
    Path out;

    /** Small real training on generated images, in this JVM. */
    private String[] quick(String command, String... more) {
        return quickInto(out, command, more);
    }

    private static String[] quickInto(Path output, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--dataset", "synthetic",
                "--trainSubset", "128", "--epochs", "1", "--batchSize", "64", "--device", "cpu",
                "--outputDirectory", output.toString()));
        if (!command.equals("eval") && !command.equals("export")) {
            // Training in this JVM; eval and export train nothing and take no JVM options.
            args.add("--no-fork");
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        int[] code = new int[1];
        String help = stdoutOf(() -> code[0] = Cosub.execute("--help"));
        assertEquals(0, code[0]);
        for (String line : List.of("train ", "eval ", "export ", "predict ", "compare ", "report ", "suite ",
                "0   done", "1   the accuracy gate failed", "2   bad input",
                "3   training failed")) {
            assertTrue(help.contains(line), "help lists '" + line + "': " + help);
        }
        assertEquals(Cosub.BAD_INPUT, Cosub.execute(), "no command");
        String compare = stdoutOf(() -> code[0] = Cosub.execute("compare", "--help"));
        assertEquals(0, code[0]);
        assertTrue(compare.contains("--subsetSeed=SEED") && compare.contains("--seeds"), compare);
        String suites = stdoutOf(() -> code[0] = Cosub.execute("suite", "--list"));
        assertEquals(0, code[0]);
        assertTrue(suites.contains("small-data-long"), suites);
    }

    private static String stdoutOf(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badInputExitsWithTwoAndSaysWhat() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Cosub.execute("train", "--epochs", "0"));
        assertEquals(Cosub.BAD_INPUT, code[0]);
        assertTrue(err.contains("epochs = 0 is invalid: expected from 1 to 10000"), err);
        assertEquals(Cosub.BAD_INPUT, Cosub.execute("train", "--epoch", "3"));
        assertEquals(Cosub.BAD_INPUT, Cosub.execute("train", "--dataset", "folder",
                "--dataDirectory", out.resolve("nowhere").toString()));
        assertEquals(Cosub.BAD_INPUT, Cosub.execute("compare", "--shard", "2/2"));
        assertEquals(Cosub.BAD_INPUT, Cosub.execute("eval", "--outputDirectory", out.toString(),
                "--dataset", "synthetic"));
        // A mistyped output directory: no empty report, no folder made.
        String report = stderrOf(() -> code[0] = Cosub.execute("report", "--outputDirectory",
                out.resolve("typo").toString()));
        assertEquals(Cosub.BAD_INPUT, code[0]);
        assertTrue(report.contains("no runs in " + out.resolve("typo")), report);
        assertFalse(Files.exists(out.resolve("typo")));
    }

    @Test
    void aFullDiskIsOneSentenceWithExitThreeAndLeavesNoStagingFolder() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(out.resolve("small-disk"), "512k")) {
            Path output = disk.folder().resolve("output");
            int[] code = new int[1];
            // ViT-nano's weights alone (about 0.8 MB) do not fit.
            String err = stderrOf(() -> code[0] = Cosub.execute(quickInto(output, "train")));
            assertEquals(Cosub.TRAINING_FAILED, code[0], err);
            assertTrue(err.startsWith("cosub: the disk is full: cannot write " + output), err);
            assertTrue(err.contains(" free of "), err);
            assertEquals(1, err.lines().count(), "one sentence, once, no stack trace: " + err);
            try (var left = Files.list(output.resolve("runs"))) {
                assertEquals(List.of(), left.toList(), "no staging folder, no lock");
            }
        }
    }

    @Test
    void aReportIntoAReadOnlyDirectoryIsBadInput() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(out.resolve("read-only"), "1m")) {
            Files.writeString(disk.folder().resolve("leaderboard.csv"),
                    String.join(",", dev.cosub.runtime.runs.LeaderboardRow.HEADER) + "\n");
            disk.readOnly();
            int[] code = new int[1];
            String err = stderrOf(() -> code[0] = Cosub.execute("report", "--outputDirectory",
                    disk.folder().toString()));
            assertEquals(Cosub.BAD_INPUT, code[0], err);
            assertTrue(err.startsWith("cosub: permission denied: cannot write "
                    + disk.folder().resolve("comparison.csv") + " ("), err);
            assertTrue(err.contains("Read-only file system"), err);
            assertEquals(1, err.lines().count(), err);
        }
    }

    /**
     * The commit HEAD names, read from the files of the enclosing git directory (a linked work
     * tree's {@code .git} file points to it, and its refs live in the common directory).
     */
    private static String headCommitOf(Path directory) throws IOException {
        for (Path d = directory; d != null; d = d.getParent()) {
            Path git = d.resolve(".git");
            if (Files.isRegularFile(git)) {
                git = d.resolve(Files.readString(git).trim().substring("gitdir:".length()).trim());
            } else if (!Files.isDirectory(git)) {
                continue;
            }
            String head = Files.readString(git.resolve("HEAD")).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring("ref: ".length());
            Path common = Files.isRegularFile(git.resolve("commondir"))
                    ? git.resolve(Files.readString(git.resolve("commondir")).trim()) : git;
            Path loose = common.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Files.readString(loose).trim();
            }
            for (String line : Files.readAllLines(common.resolve("packed-refs"))) {
                if (line.endsWith(" " + ref)) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
            return null;
        }
        return null;
    }

    @Test
    void aDivergingRunExitsWithThree() {
        assertEquals(Cosub.TRAINING_FAILED, Cosub.execute(quick("train", "--learningRate",
                "1e6", "--method", "baseline")));
    }

    @Test
    void compareThenGateThenReport() throws Exception {
        assertEquals(0, Cosub.execute(quick("compare", "--seeds", "0")));
        assertEquals(2, Leaderboard.read(out.resolve("leaderboard.csv")).size());
        assertTrue(Files.isRegularFile(out.resolve("report").resolve("index.html")));
        // The folder the command runs in is the project: its commit is recorded (this module's
        // checkout, or none when the sources are not a git work tree). The expected commit is
        // read from .git itself, not through the code under test.
        String head = headCommitOf(Path.of("").toAbsolutePath());
        for (RunFolder run : new RunStore(out).list()) {
            String recorded = run.record().gitCommit();
            if (head == null) {
                assertEquals(null, recorded);
            } else {
                assertTrue(recorded != null && recorded.matches(head + "(-dirty)?"),
                        "recorded " + recorded + ", HEAD is " + head);
            }
        }

        // One training epoch on 128 images cannot reach 99%: the gate fails with 1.
        assertEquals(Cosub.GATE_FAILED, Cosub.execute(quick("eval", "--minTop1", "0.99")));
        assertEquals(0, Cosub.execute(quick("eval", "--minTop1", "0.0")));
        assertEquals(0, Cosub.execute("report", "--outputDirectory", out.toString()));

        // The latest cosub run of the configuration, as a DJL model folder; not overwritten.
        assertEquals(0, Cosub.execute(quick("export")));
        RunFolder cosub = new RunStore(out).list().stream()
                .filter(run -> run.record().result().config().method() == Method.COSUB)
                .findFirst().orElseThrow();
        Path model = out.resolve("models").resolve(cosub.record().runId());
        for (String file : List.of("serving.properties", "synset.txt", "cosub-0000.params")) {
            assertTrue(Files.isRegularFile(model.resolve(file)), file);
        }
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Cosub.execute(quick("export")));
        assertEquals(Cosub.BAD_INPUT, code[0]);
        assertTrue(err.contains(model + " already exists"), err);

        // For PyTorch: ViT-nano's weights under timm's names, beside the DJL folder.
        String said = stderrOf(() -> code[0] = Cosub.execute(quick("export", "--format",
                "safetensors")));
        assertEquals(0, code[0], said);
        Path forPyTorch = out.resolve("models").resolve(cosub.record().runId()
                + "-safetensors");
        assertTrue(Files.isRegularFile(forPyTorch.resolve("model.safetensors")));
        assertTrue(Files.readString(forPyTorch.resolve("model.json"))
                .contains("\"timmModel\": \"vit_tiny_patch16_224\""));
        err = stderrOf(() -> code[0] = Cosub.execute(quick("export", "--format", "onnx")));
        assertEquals(Cosub.BAD_INPUT, code[0]);
        assertTrue(err.contains("format = 'onnx': expected djl or safetensors"), err);

        // Two test images and a broken file: two lines of five classes, the broken one named.
        Path images = Files.createDirectories(out.resolve("images"));
        ImageDataset data = Datasets.load("synthetic", null, 128, 0);
        for (int i = 0; i < 2; i++) {
            ImageIO.write(ImageFolderExport.image(data.test().read(i)), "png",
                    images.resolve("test" + i + ".png").toFile());
        }
        Files.writeString(images.resolve("broken.png"), "not an image");
        String[] printed = new String[1];
        err = stderrOf(() -> printed[0] = stdoutOf(() -> code[0] = Cosub.execute("predict",
                "--run", cosub.directory().toString(), images.toString())));
        assertEquals(Cosub.BAD_INPUT, code[0], err);
        assertTrue(err.contains("broken.png: not a PNG or JPEG image")
                && err.contains("1 of 3 image(s) skipped"), err);
        List<String> lines = printed[0].lines().filter(line -> line.contains(".png: ")).toList();
        assertEquals(2, lines.size(), printed[0]);
        assertTrue(lines.get(0).matches(".*test0\\.png: (\\S+ [01]\\.\\d{4}, ){4}\\S+ [01]\\.\\d{4}"),
                lines.get(0));
    }
}
