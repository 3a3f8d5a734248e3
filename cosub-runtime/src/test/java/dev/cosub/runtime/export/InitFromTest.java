package dev.cosub.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.runs.Checkpoint;
import dev.cosub.runtime.runs.InitialWeights;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning starts from a run's or an exported folder's weights, parameter by parameter. */
@Tag("slow") // trains runs
class InitFromTest {

    private static final ImageShape GREY = new ImageShape(1, 28, 28);

    @TempDir
    Path out;

    private final List<String> log = new ArrayList<>();

    private RunFolder trained() throws Exception {
        return new Experiments(out, null, log::add).train(RunConfig.builder()
                .architecture("vit").dataset("synthetic").trainSubset(128).epochs(1)
                .batchSize(64).device("cpu").build());
    }

    /** A fresh network of {@code classes}, started from {@code from} as training would. */
    private static Block started(Path from, ImageShape shape, int classes, List<String> log,
            NDManager manager) {
        RunConfig config = RunConfig.builder().architecture("vit").initFrom(from).build();
        Block network = Training.network(config, shape, classes);
        network.initialize(manager, DataType.FLOAT32, shape.batch(1));
        new InitialWeights(config, classes, log::add).apply(network, manager);
        return network;
    }

    @Test
    void aRunOrItsExportStartsEveryParameterAndAnotherClassCountRestartsTheClassifier()
            throws Exception {
        RunFolder run = trained();
        Path exported = out.resolve("exported");
        ModelExport.write(run, exported);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block source = Checkpoint.load(run.record().result().config(),
                    initialised(GREY, 10, manager), run.weights(), manager);
            for (Path from : List.of(run.directory(), exported)) {
                Block network = started(from, GREY, 10, log, manager);
                for (int i = 0; i < network.getParameters().size(); i++) {
                    Pair<String, Parameter> p = network.getParameters().get(i);
                    assertEquals(source.getParameters().get(i).getValue().getArray(),
                            p.getValue().getArray(), from + ": " + p.getKey());
                }
            }
            assertTrue(log.stream().anyMatch(line -> line.startsWith("initFrom: started from "
                    + exported + " (vit-nano, run " + run.record().runId())), log.toString());

            Block five = started(run.directory(), GREY, 5, log, manager);
            int copied = 0;
            for (int i = 0; i < five.getParameters().size(); i++) {
                var mine = five.getParameters().get(i).getValue().getArray();
                var theirs = source.getParameters().get(i).getValue().getArray();
                if (mine.getShape().equals(theirs.getShape())) {
                    assertEquals(theirs, mine);
                    copied++;
                } else {
                    assertEquals(5, mine.getShape().get(0));
                }
            }
            assertEquals(five.getParameters().size() - 2, copied, "all but the head's two");
            assertTrue(log.get(log.size() - 1).contains("its classifier has 10 classes and this"
                    + " run 5: initialised afresh"), log.get(log.size() - 1));

            // 32x32 images give ViT-nano 64 patches, not 49: the positions cannot be copied.
            String message = assertThrows(InvalidDataException.class, () -> started(
                    run.directory(), new ImageShape(1, 32, 32), 10, log, manager)).getMessage();
            assertTrue(message.matches("initFrom = .*: parameter \\S*position\\S* has shape"
                    + " \\(1, 50, 64\\) there and \\(1, 65, 64\\) here .*"), message);
        }
    }

    @Test
    void aFineTuningRunRecordsItsStartAndIsAnotherConfiguration() throws Exception {
        RunFolder run = trained();
        RunConfig fineTune = run.record().result().config().toBuilder()
                .initFrom(run.directory()).build();
        RunFolder tuned = new Experiments(out, null, log::add).train(fineTune);

        RunConfig recorded = tuned.record().result().config();
        assertEquals(run.directory(), recorded.initFrom());
        assertEquals(fineTune.initFromSha256(), recorded.initFromSha256());
        assertEquals(64, recorded.initFromSha256().length());
        assertNotEquals(run.record().configHash(), tuned.record().configHash());
        assertEquals(Provenance.configHash(fineTune), tuned.record().configHash());
        assertTrue(log.stream().anyMatch(line -> line.startsWith("initFrom: started from")),
                log.toString());
        String other = assertThrows(InvalidDataException.class, () -> new Experiments(out, null,
                log::add).train(fineTune.toBuilder().architecture("convnext").build()))
                .getMessage();
        assertTrue(other.endsWith("holds the weights of vit-nano; this run trains"
                + " convnext-nano"), other);
    }

    private static Block initialised(ImageShape shape, int classes, NDManager manager) {
        Block network = Training.network(RunConfig.builder().architecture("vit").build(), shape,
                classes);
        network.initialize(manager, DataType.FLOAT32, shape.batch(1));
        return network;
    }
}
