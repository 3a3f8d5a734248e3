package dev.cosub.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
}
