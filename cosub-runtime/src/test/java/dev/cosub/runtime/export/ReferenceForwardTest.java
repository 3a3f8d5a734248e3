package dev.cosub.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The safetensors export is timm's names and math: an independent PyTorch forward, written from
 * the papers' definitions ({@code src/test/python/reference_forward.py}), reads the exported file
 * by timm's names and gives the Java network's logits on the same images.
 *
 * <p>Needs Debian's {@code python3-torch} ({@code .ci/run} installs it) at
 * {@code /usr/bin/python3}, or another Python with torch named by {@code -Dcosub.python}.
 */
@Tag("slow") // a PyTorch child process per case
class ReferenceForwardTest {

    private static final String PYTHON = System.getProperty("cosub.python", "/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/reference_forward.py");
    private static final int IMAGES = 4;
    private static final int CLASSES = 10;
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path out;

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"vit, nano, 1, 28", "vit, deit3-nano, 1, 28", "convnext, tiny, 3, 32"})
    void anIndependentPyTorchForwardOfTheExportGivesTheJavaLogits(String architecture,
            String size, int channels, int side) throws Exception {
        ImageShape shape = new ImageShape(channels, side, side);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(),
                Engines.pytorch().getEngineName())) {
            Engine.getEngine(Engines.ENGINE_NAME).setRandomSeed(7);
            Block network = Training.network(RunConfig.builder().architecture(architecture)
                    .size(size).build(), shape, CLASSES);
            network.initialize(manager, DataType.FLOAT32, shape.batch(1));
            // The math is under test, not training: move every parameter off its starting value,
            // or LayerScale's 1e-6 would hide whole blocks from the comparison.
            for (Pair<String, Parameter> parameter : network.getParameters()) {
                NDArray array = parameter.getValue().getArray();
                array.addi(manager.randomNormal(0, 0.05f, array.getShape(), DataType.FLOAT32));
            }
            NDArray images = manager.randomNormal(shape.batch(IMAGES));
            float[] java = network.forward(new ParameterStore(manager, false),
                    new NDList(images), false).singletonOrThrow().toFloatArray();

            Path folder = out.resolve("export");
            ModelExport.writeSafetensors(description(architecture, size, shape), network,
                    folder);
            float[] python = pythonLogits(folder, images.toFloatArray());

            assertEquals(IMAGES * CLASSES, python.length);
            double worst = IntStream.range(0, java.length)
                    .mapToDouble(i -> Math.abs(java[i] - python[i])).max().orElseThrow();
            System.out.printf("%s-%s: max |Java - PyTorch| logit difference %.2e%n",
                    architecture, size, worst);
            assertTrue(worst <= TOLERANCE, architecture + "-" + size + ": logits differ by "
                    + worst + " > " + TOLERANCE);
        }
    }

    private static ExportedModel description(String architecture, String size, ImageShape shape) {
        float[] zero = new float[shape.channels()];
        float[] one = new float[shape.channels()];
        Arrays.fill(one, 1f);
        return new ExportedModel(architecture, size, shape,
                IntStream.range(0, CLASSES).mapToObj(i -> "class " + i).toList(),
                new Normalization(zero, one), "softmax", "reference-forward", "none");
    }

    /** The logits the reference script computes for {@code images}, (B, C, H, W) row-major. */
    private float[] pythonLogits(Path folder, float[] images) throws IOException,
            InterruptedException {
        Path inputs = out.resolve("inputs.f32");
        Path logits = out.resolve("logits.f32");
        Files.write(inputs, littleEndian(images));
        Path log = out.resolve("python.log");
        Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(), folder.toString(),
                inputs.toString(), logits.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(python.waitFor(5, TimeUnit.MINUTES), "the reference forward did not finish");
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), PYTHON + " " + SCRIPT + " failed"
                + (printed.contains("No module named 'torch'") ? " (it needs PyTorch: apt-get"
                        + " install -y python3-torch, or -Dcosub.python=<a python with torch>)"
                        : "") + ":\n" + printed);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(logits))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }
}
