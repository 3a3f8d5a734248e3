package dev.cosub.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.ImageFolderExport;
import dev.cosub.runtime.data.Raster;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.runs.Checkpoint;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A trained run, exported, comes back through DJL's own {@code Criteria} with no cosub call:
 * the same probabilities and logits as the harness computes from the run folder.
 */
@Tag("slow") // trains a run of each architecture
class ModelExportTest {

    private static final int IMAGES = 8;

    @TempDir
    Path out;

    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void anExportedRunLoadsThroughCriteriaWithTheRunsOwnOutputs(String architecture)
            throws Exception {
        RunConfig config = RunConfig.builder().architecture(architecture).dataset("synthetic")
                .trainSubset(128).epochs(1).batchSize(64).device("cpu").build();
        RunFolder run = new Experiments(out, null, line -> { }).train(config);
        Path folder = out.resolve("export-" + architecture);

        ExportedModel exported = ModelExport.write(run, folder);

        ImageDataset data = Datasets.load("synthetic", null, 128, 0);
        assertEquals(data.pipeline().normalization(), exported.normalization());
        List<Image> images = new ArrayList<>();
        float[] pixels = new float[IMAGES * data.shape().size()];
        for (int i = 0; i < IMAGES; i++) {
            Raster raster = data.test().read(i);
            images.add(ImageFactory.getInstance().fromImage(ImageFolderExport.image(raster)));
            System.arraycopy(data.pipeline().evaluation(raster), 0, pixels,
                    i * data.shape().size(), data.shape().size());
        }
        Criteria<Image, Classifications> criteria = Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(folder)
                .build();
        try (NDManager manager = NDManager.newBaseManager();
                ZooModel<Image, Classifications> model = criteria.loadModel();
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            NDArray input = manager.create(FloatBuffer.wrap(pixels),
                    data.shape().batch(IMAGES), DataType.FLOAT32);
            Block harness = Checkpoint.load(config, data, run.weights(), manager);
            NDArray expected = harness.forward(new ParameterStore(manager, false),
                    new NDList(input), false).singletonOrThrow();
            NDArray loaded = ExportedModel.network(model.getBlock()).forward(
                    new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow();
            double logits = expected.sub(loaded).abs().max().getFloat();
            assertTrue(logits <= 1e-5, architecture + ": logits differ by " + logits);

            NDArray probabilities = Activation.sigmoid(expected);
            double worst = 0;
            for (int i = 0; i < IMAGES; i++) {
                Classifications result = predictor.predict(images.get(i));
                for (int c = 0; c < exported.classNames().size(); c++) {
                    double got = result.get(exported.classNames().get(c)).getProbability();
                    worst = Math.max(worst, Math.abs(got - probabilities.getFloat(i, c)));
                }
            }
            assertTrue(worst <= 1e-5, architecture + ": probabilities differ by " + worst);
            System.out.printf("%s: max logit difference %.2e, max probability difference %.2e%n",
                    architecture, logits, worst);
        }
        assertEquals("sigmoid", exported.activation(), "the default criterion is BCE");
        assertTrue(Files.readString(folder.resolve("serving.properties"))
                .contains("cosub.run=" + run.record().runId()));
        InvalidDataException again = assertThrows(InvalidDataException.class,
                () -> ModelExport.write(run, folder));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    }
}
