package dev.cosub.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.ProgressListener;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunResult;
import dev.cosub.runtime.train.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    private static final ImageDataset SYNTHETIC = Datasets.load("synthetic", null, 256, 0);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.ENGINE_NAME);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Diagnostics measure(float dropPath) {
        RunConfig config = RunConfig.builder().dataset("synthetic").dropPath(dropPath)
                .device("cpu").build();
        Block network = Training.initializedNetwork(config, SYNTHETIC, manager);
        return Diagnostics.measure(network, SYNTHETIC.train(), SYNTHETIC.test(),
                SYNTHETIC.pipeline(), SYNTHETIC.classes(), config.criterion(), 64, 1, manager);
    }

    @Test
    void withoutDropPathEverySubmodelIsTheWholeNetwork() {
        Diagnostics d = measure(0f);

        assertEquals(1.0, d.submodelAgreement());
        assertEquals(0.0, d.submodelOutputGap());
    }

    @Test
    void submodelsAreDrawnInInferenceAndTheNetworkIsWholeAgainAfterwards() {
        RunConfig config = RunConfig.builder().dataset("synthetic").dropPath(0.5f)
                .dropPathSchedule(DropPathSchedule.UNIFORM).device("cpu").build();
        Block network = Training.initializedNetwork(config, SYNTHETIC, manager);
        EvalMetrics before = Evaluation.evaluate(network, SYNTHETIC.test(), SYNTHETIC.pipeline(),
                SYNTHETIC.classes(), config.criterion(), 64, 1, manager);

        Diagnostics d = Diagnostics.measure(network, SYNTHETIC.train(), SYNTHETIC.test(),
                SYNTHETIC.pipeline(), SYNTHETIC.classes(), config.criterion(), 64, 1, manager);
        EvalMetrics after = Evaluation.evaluate(network, SYNTHETIC.test(), SYNTHETIC.pipeline(),
                SYNTHETIC.classes(), config.criterion(), 64, 1, manager);

        assertTrue(d.submodelOutputGap() > 0, "two submodels at rate 0.5 give other outputs: "
                + d.submodelOutputGap());
        assertEquals(before.loss(), after.loss(), 0.0,
                "evaluation after the diagnostics is of the whole network again");
    }

    /**
     * What cosub trains for: from one seed at a high uniform drop-path rate, two random
     * submodels of a cosub-trained network agree more than two of a baseline-trained one.
     */
    @Tag("slow") // trains both methods for a hundred seconds
    @Test
    void cosubSubmodelsAgreeMoreThanTheBaselines() {
        ImageDataset full = Datasets.load("fashion-mnist", null, 4_000, 0);
        // 2,000 test images: the diagnostics sample them anyway, and a full test pass would
        // cost more than the training.
        ImageDataset data = new ImageDataset(full.name(), full.train(), full.test().sample(2_000,
                1), full.shape(), full.classNames(), full.normalization(), full.augmentation(),
                full.parts());
        RunConfig.Builder config = RunConfig.builder().architecture("convnext").dataset("fashion-mnist").trainSubset(4_000)
                .epochs(3).evalEvery(3).batchSize(64).dropPath(0.4f)
                .dropPathSchedule(DropPathSchedule.UNIFORM).seed(0).device("cpu");
        Diagnostics baseline = diagnostics(config.method(Method.BASELINE).build(), data);
        Diagnostics cosub = diagnostics(config.method(Method.COSUB).build(), data);

        System.out.printf("agreement: baseline %.4f (gap %.4f), cosub %.4f (gap %.4f)%n",
                baseline.submodelAgreement(), baseline.submodelOutputGap(),
                cosub.submodelAgreement(), cosub.submodelOutputGap());
        assertTrue(cosub.submodelAgreement() > baseline.submodelAgreement(),
                "cosub agreement " + cosub.submodelAgreement() + " <= baseline's "
                        + baseline.submodelAgreement());
        assertTrue(cosub.submodelOutputGap() < baseline.submodelOutputGap(),
                "cosub output gap " + cosub.submodelOutputGap() + " >= baseline's "
                        + baseline.submodelOutputGap());
    }

    private static Diagnostics diagnostics(RunConfig config, ImageDataset data) {
        RunResult result = new Training(config, data, ProgressListener.lines(System.out::println))
                .run();
        return result.epochs().get(result.epochs().size() - 1).diagnostics();
    }
}
