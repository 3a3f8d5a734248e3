package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.Recipe;
import dev.cosub.runtime.train.RunConfig;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

    @Test
    void configHashIgnoresWhereDataLivesAndWhatRunsIt() {
        RunConfig config = RunConfig.builder().seed(3).build();
        String hash = Provenance.configHash(config);
        assertEquals(12, hash.length());
        assertEquals(hash, Provenance.configHash(
                config.toBuilder().dataDirectory(Path.of("/elsewhere")).device("cpu").build()));
        assertNotEquals(hash, Provenance.configHash(config.toBuilder().seed(4).build()));
        assertNotEquals(hash, Provenance.configHash(
                config.toBuilder().method(Method.BASELINE).build()));
        assertNotEquals(hash, Provenance.configHash(config.toBuilder().lambda(0.6f).build()));
    }

    /**
     * Every field of a configuration changes the hash, except the ones that cannot change the
     * trained weights. A field added to {@link RunConfig} fails this test until it is hashed or
     * listed here with its reason.
     */
    @Test
    void everyFieldThatChangesTheWeightsIsInTheHash(@TempDir Path dir) throws Exception {
        // Where the same files are or come from and how long their download may take (a
        // download is checked against dataSha256 whatever its limits), what runs it (the data
        // threads do not change a batch: BatchesTest), which epochs are evaluated, where the
        // starting weights lie (their SHA-256 is hashed).
        Set<String> notHashed = Set.of("dataDirectory", "dataUrl", "dataCache",
                "dataConnectTimeout", "dataReadTimeout", "dataUnpackLimit", "dataThreads",
                "device", "evalEvery", "initFrom");
        Path weights = Files.createDirectories(dir.resolve("run"));
        Files.write(weights.resolve("model.params"), new byte[] {1, 2, 3});
        assertEquals(notHashed, Provenance.NOT_HASHED);
        // A baseline: cosub trains the same under both budgets.
        RunConfig base = RunConfig.builder().method(Method.BASELINE).epochs(4).trainSubset(1_000)
                .build();
        Map<String, UnaryOperator<RunConfig.Builder>> changes = new LinkedHashMap<>();
        changes.put("architecture", b -> b.architecture("convnext"));
        changes.put("size", b -> b.architecture("vit").size("tiny"));
        changes.put("method", b -> b.method(Method.COSUB));
        changes.put("criterion", b -> b.criterion(Criterion.SOFTMAX));
        changes.put("budget", b -> b.budget(Budget.COMPUTE));
        changes.put("recipe", b -> b.recipe(Recipe.DEIT3));
        changes.put("dataset", b -> b.dataset("mnist"));
        changes.put("trainSubset", b -> b.trainSubset(100));
        changes.put("subsetSeed", b -> b.subsetSeed(7L));
        changes.put("imageSize", b -> b.imageSize(32));
        changes.put("normalization", b -> b.normalization("imagenet"));
        changes.put("dataSha256", b -> b.dataUrl("http://127.0.0.1/a.tar.gz")
                .dataSha256("ab".repeat(32)));
        changes.put("epochs", b -> b.epochs(5));
        changes.put("batchSize", b -> b.batchSize(64));
        changes.put("learningRate", b -> b.learningRate(2e-3f));
        changes.put("weightDecay", b -> b.weightDecay(0.1f));
        changes.put("warmupEpochs", b -> b.warmupEpochs(2));
        changes.put("dropPath", b -> b.dropPath(0.2f));
        changes.put("dropPathSchedule", b -> b.dropPathSchedule(DropPathSchedule.UNIFORM));
        changes.put("dropPathMode", b -> b.dropPathMode(DropPathMode.EFFICIENT));
        changes.put("lambda", b -> b.lambda(0.7f));
        changes.put("gradientClipNorm", b -> b.gradientClipNorm(2f));
        changes.put("seed", b -> b.seed(9));
        changes.put("initFromSha256", b -> b.initFrom(weights));
        Set<String> components = Arrays.stream(RunConfig.class.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
        Set<String> covered = new HashSet<>(changes.keySet());
        covered.addAll(notHashed);
        assertEquals(components, covered,
                "every RunConfig field is either hashed (with a change here) or listed as not");
        String hash = Provenance.configHash(base);
        changes.forEach((field, change) -> assertNotEquals(hash,
                Provenance.configHash(change.apply(base.toBuilder()).build()),
                field + " must change the config hash"));
        assertEquals(hash, Provenance.configHash(base.toBuilder().evalEvery(2).build()));
    }

    /** Starting weights are named by their content: a copy elsewhere is the same. */
    @Test
    void startingWeightsAreNamedByTheirSha256(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("a"));
        Path copy = Files.createDirectories(dir.resolve("b"));
        Path other = Files.createDirectories(dir.resolve("c"));
        Files.write(first.resolve("model.params"), new byte[] {1, 2, 3});
        Files.write(copy.resolve("cosub-0000.params"), new byte[] {1, 2, 3});
        Files.write(other.resolve("model.params"), new byte[] {1, 2, 4});
        RunConfig a = RunConfig.builder().initFrom(first).build();
        assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
                a.initFromSha256(), "sha256sum of the bytes 1 2 3");
        assertEquals(Provenance.configHash(a),
                Provenance.configHash(RunConfig.builder().initFrom(copy).build()));
        assertNotEquals(Provenance.configHash(a),
                Provenance.configHash(RunConfig.builder().initFrom(other).build()));
        assertEquals(a.initFromSha256(), a.toBuilder().build().initFromSha256());
        String message = assertThrows(InvalidDataException.class,
                () -> RunConfig.builder().initFrom(dir).build()).getMessage();
        assertTrue(message.startsWith("initFrom = " + dir + ": expected a run folder"), message);
    }

    /** A folder has no name: its path tells two folders apart; a download is its hash. */
    @Test
    void aFolderIsNamedByItsPathAndADownloadByItsHash() {
        RunConfig folder = RunConfig.builder().dataset("folder")
                .dataDirectory(Path.of("/data/a")).build();
        assertNotEquals(Provenance.configHash(folder), Provenance.configHash(
                folder.toBuilder().dataDirectory(Path.of("/data/b")).build()));
        RunConfig downloaded = RunConfig.builder().dataset("folder").dataUrl("http://a/x.tgz")
                .dataSha256("cd".repeat(32)).build();
        assertEquals(Provenance.configHash(downloaded), Provenance.configHash(downloaded
                .toBuilder().dataUrl("https://mirror/y.tgz").dataCache(Path.of("/c")).build()));
    }

    /**
     * Hashes stay those of earlier versions, so that existing leaderboards keep their runs: the
     * default configuration hashes as it did before fields were added, from the SHA-256 of
     * {@code vit|nano|cosub|bce|fashion-mnist|0|10|128|0.001|0.05|1|0.1|linear|0.5|1.0|0}.
     */
    @Test
    void theHashOfADefaultConfigurationIsStable() {
        assertEquals("5fcde0872992", Provenance.configHash(RunConfig.builder().build()));
    }

    @Test
    void theRecipeHashSetsMethodSeedAndBudgetAside() {
        RunConfig cosub = RunConfig.builder().seed(3).build();
        String recipe = Provenance.recipeHash(cosub);
        assertEquals(recipe, Provenance.recipeHash(cosub.toBuilder().method(Method.BASELINE)
                .budget(Budget.COMPUTE).seed(7).build()));
        assertNotEquals(recipe, Provenance.recipeHash(cosub.toBuilder().dropPath(0.3f).build()));
        assertEquals(Budget.EPOCHS, cosub.toBuilder().budget(Budget.COMPUTE).build().budget(),
                "cosub trains the same under both budgets");
        RunConfig computeBaseline = cosub.toBuilder().method(Method.BASELINE).epochs(5)
                .warmupEpochs(1).budget(Budget.COMPUTE).build();
        assertEquals(10, computeBaseline.trainedEpochs());
        assertEquals(2, computeBaseline.trainedWarmupEpochs());
    }

    @Test
    void commitOfAGitWorkTreeAndWhetherItHasChanges(@TempDir Path dir) throws Exception {
        git(dir, "init", "-q");
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        git(dir, "add", "pom.xml");
        git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x");
        String commit = Provenance.gitCommit(dir);
        assertTrue(commit.matches("[0-9a-f]{40}"), commit);
        Files.writeString(dir.resolve("pom.xml"), "<project></project>");
        assertEquals(commit + "-dirty", Provenance.gitCommit(dir));
    }

    private static void git(Path dir, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(arguments, 0, command, 3, arguments.length);
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }

    @Test
    void noCommitOutsideAGitWorkTree(@TempDir Path dir) {
        assertNull(Provenance.gitCommit(dir));
        assertNull(Provenance.gitCommit(null));
    }
}
