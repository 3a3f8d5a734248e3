package dev.cosub.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return started(from, shape, classes, log, manager, "vit");
    }

    private static Block started(Path from, ImageShape shape, int classes, List<String> log,
            NDManager manager, String architecture) {
        RunConfig config = RunConfig.builder().architecture(architecture).initFrom(from).build();
        Block network = Training.network(config, shape, classes);
        network.initialize(manager, DataType.FLOAT32, shape.batch(1));
        new InitialWeights(config, shape, classes, log::add).apply(network, manager);
        return network;
    }

    @Test
    void aRunOrItsExportStartsEveryParameterAndAnotherClassCountRestartsTheClassifier()
            throws Exception {
        RunFolder run = trained();
        Path exported = out.resolve("exported");
        ModelExport.write(run, exported);
        Path timmNamed = out.resolve("timm-named");
        ModelExport.write(run, timmNamed, ModelExport.Format.SAFETENSORS);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block source = Checkpoint.load(run.record().result().config(),
                    initialised(GREY, 10, manager), run.weights(), manager);
            Path cosubNamed = out.resolve("cosub-named.safetensors");
            writeSafetensors(cosubNamed, source, Map.of());
            // The export writes timm's names and the import reads them back: one map, both ways.
            for (Path from : List.of(run.directory(), exported, timmNamed,
                    timmNamed.resolve(ModelExport.SAFETENSORS), cosubNamed)) {
                Block network = started(from, GREY, 10, log, manager);
                for (int i = 0; i < network.getParameters().size(); i++) {
                    Pair<String, Parameter> p = network.getParameters().get(i);
                    assertEquals(source.getParameters().get(i).getValue().getArray(),
                            p.getValue().getArray(), from + ": " + p.getKey());
                }
            }
            assertTrue(log.stream().anyMatch(line -> line.startsWith("initFrom: started from "
                    + exported + " (vit-nano, run " + run.record().runId())), log.toString());
            assertTrue(log.stream().anyMatch(line -> line.startsWith("initFrom: started from "
                    + timmNamed + " (model.safetensors, timm's names for vit_tiny_patch16_224")),
                    log.toString());
            assertTrue(log.stream().anyMatch(line -> line.startsWith("initFrom: started from "
                    + cosubNamed + " (cosub-named.safetensors, cosub's names")), log.toString());

            // timm's distilled DeiT has a second head that this network has not: refused.
            Path extra = out.resolve("extra.safetensors");
            writeSafetensors(extra, source, Map.of("head_dist.weight", new Shape(10, 64)));
            String unused = assertThrows(InvalidDataException.class,
                    () -> started(extra, GREY, 10, log, manager)).getMessage();
            assertTrue(unused.endsWith("extra.safetensors has tensors that vit-nano does not:"
                    + " head_dist.weight"), unused);
            String other = assertThrows(InvalidDataException.class, () -> started(cosubNamed,
                    GREY, 10, log, manager, "convnext")).getMessage();
            assertTrue(other.contains("its tensors are not those of convnext-nano under"
                    + " cosub's or timm's names: missing "), other);

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

    /**
     * Writes {@code network}'s parameters under this project's names, as a user's own tool
     * would, with zero tensors of {@code extra} besides.
     */
    private static void writeSafetensors(Path file, Block network, Map<String, Shape> extra)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList tensors = new NDList();
            for (Pair<String, Parameter> p : network.getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(manager);
                copy.setName(p.getKey());
                tensors.add(copy);
            }
            extra.forEach((name, shape) -> {
                NDArray zeros = manager.zeros(shape);
                zeros.setName(name);
                tensors.add(zeros);
            });
            try (OutputStream stream = Files.newOutputStream(file)) {
                tensors.encode(stream, NDList.Encoding.SAFETENSORS);
            }
        }
    }

    private static Block initialised(ImageShape shape, int classes, NDManager manager) {
        Block network = Training.network(RunConfig.builder().architecture("vit").build(), shape,
                classes);
        network.initialize(manager, DataType.FLOAT32, shape.batch(1));
        return network;
    }
}
