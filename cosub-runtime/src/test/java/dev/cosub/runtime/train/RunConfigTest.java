package dev.cosub.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageSource;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.loss.Criterion;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RunConfigTest {

    private static String refusal(UnaryOperator<RunConfig.Builder> change) {
        return assertThrows(IllegalArgumentException.class,
                () -> change.apply(RunConfig.builder()).build()).getMessage();
    }

    @Test
    void defaultsDescribeViTNanoCosubOnFashionMnist() {
        RunConfig config = RunConfig.builder().build();
        assertEquals("vit", config.architecture());
        assertEquals("nano", config.size());
        assertEquals(Method.COSUB, config.method());
        assertEquals("fashion-mnist", config.dataset());
        assertEquals(0.5f, config.lambda());
        assertEquals("auto", config.device());
        assertEquals(1, config.warmupEpochs());
        assertEquals(0, RunConfig.builder().epochs(1).build().warmupEpochs(),
                "a one-epoch run has no room for warm-up");
    }

    @Test
    void namesAreNormalised() {
        RunConfig config = RunConfig.builder().architecture(" ViT ").dataset("Fashion-MNIST").build();
        assertEquals("vit", config.architecture());
        assertEquals("fashion-mnist", config.dataset());
    }

    @Test
    void invalidValuesAreRefusedWithTheParameterAndTheExpectation() {
        String arch = refusal(b -> b.architecture("resnet"));
        assertTrue(arch.contains("resnet") && arch.contains("vit"), arch);
        String size = refusal(b -> b.size("giant"));
        assertTrue(size.contains("giant") && size.contains("nano"), size);
        String data = refusal(b -> b.dataset("cifar-1000"));
        assertTrue(data.contains("cifar-1000") && data.contains("fashion-mnist"), data);
        assertTrue(refusal(b -> b.epochs(0)).startsWith("epochs = 0"));
        assertEquals("epochs = 1000000000 is invalid: expected from 1 to 10000",
                refusal(b -> b.epochs(1_000_000_000)));
        assertEquals("imageSize = 100000 is invalid: expected 0 (the images' own size) or from 8"
                + " to 1024 pixels", refusal(b -> b.imageSize(100_000)));
        assertTrue(refusal(b -> b.batchSize(1 << 20)).startsWith("batchSize = 1048576 is"
                + " invalid: expected from 1 to 32768"));
        assertTrue(refusal(b -> b.dataThreads(1000)).startsWith("dataThreads = 1000"));
        assertEquals("dataReadTimeout = 0 is invalid: expected from 1 to 3600 seconds",
                refusal(b -> b.dataReadTimeout(0)));
        assertTrue(refusal(b -> b.batchSize(0)).startsWith("batchSize = 0"));
        assertTrue(refusal(b -> b.dropPath(1f)).startsWith("dropPath = 1.0"));
        assertTrue(refusal(b -> b.dropPath(-0.1f)).startsWith("dropPath = -0.1"));
        assertTrue(refusal(b -> b.lambda(1.5f)).startsWith("lambda = 1.5"));
        assertTrue(refusal(b -> b.learningRate(0f)).startsWith("learningRate = 0.0"));
        assertTrue(refusal(b -> b.learningRate(Float.NaN)).startsWith("learningRate = NaN"));
        assertTrue(refusal(b -> b.weightDecay(-1f)).startsWith("weightDecay = -1.0"));
        assertTrue(refusal(b -> b.trainSubset(-5)).startsWith("trainSubset = -5"));
        assertTrue(refusal(b -> b.epochs(3).warmupEpochs(3)).startsWith("warmupEpochs = 3"));
        String criterion = refusal(b -> b.method(Method.COSUB).criterion(Criterion.SOFTMAX));
        assertTrue(criterion.contains("softmax") && criterion.contains("cosub"), criterion);
    }

    @Test
    void aRecordFromBeforeTheDownloadLimitsReadsWithTheirDefaults() {
        RunConfig config = RunConfig.builder().dataReadTimeout(5).build();
        String json = dev.cosub.runtime.io.Json.toCompactJson(config);
        String older = json.replaceAll("\"data(ConnectTimeout|ReadTimeout|UnpackLimit)\":\\d+,", "");
        assertTrue(!older.contains("Timeout"), older);
        RunConfig read = dev.cosub.runtime.io.Json.fromJson(older, RunConfig.class);
        assertEquals(config.toBuilder().dataReadTimeout(60).build(), read);
        assertEquals(30, read.dataConnectTimeout());
        assertEquals(65_536, read.dataUnpackLimit());
    }

    /** By default each seed draws its own subset; a subset seed holds it across seeds. */
    @Test
    void theSubsetSeedChoosesTheTrainingImagesApartFromTheRunsSeed() {
        RunConfig.Builder config = RunConfig.builder().trainSubset(300);
        int[] seed0 = labels(config.seed(0).build());
        int[] seed1 = labels(config.seed(1).build());
        assertFalse(Arrays.equals(seed0, seed1), "each seed its own subset by default");
        config.subsetSeed(5L);
        assertArrayEquals(labels(config.seed(0).build()), labels(config.seed(1).build()),
                "one subset for every seed");
        assertEquals(null, RunConfig.builder().subsetSeed(5L).build().subsetSeed(),
                "no subset, nothing to draw");
        String json = Json.toCompactJson(config.build()).replace(",\"subsetSeed\":5", "");
        assertEquals(1L, Json.fromJson(json, RunConfig.class).trainSubsetSeed(),
                "a record from before subsetSeed drew its subset with its seed");
    }

    private static int[] labels(RunConfig config) {
        ImageSource train = Datasets.load(config.dataSpec(), line -> {}).train();
        return IntStream.range(0, train.count()).map(train::label).toArray();
    }

    @Test
    void methodAndCriterionParseTheirNames() {
        assertEquals(Method.COSUB, Method.parse("CoSub"));
        assertEquals(Method.BASELINE, Method.parse("baseline"));
        assertEquals(Criterion.SOFTMAX, Criterion.parse("softmax"));
        String e = assertThrows(IllegalArgumentException.class, () -> Method.parse("mixup")).getMessage();
        assertTrue(e.contains("mixup") && e.contains("baseline or cosub"), e);
    }
}
