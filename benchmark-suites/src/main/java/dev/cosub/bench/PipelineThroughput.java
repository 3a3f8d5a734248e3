package dev.cosub.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.tracker.Tracker;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.DataSpec;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.ImagePipeline;
import dev.cosub.runtime.data.ImageSource;
import dev.cosub.runtime.data.LabeledImages;
import dev.cosub.runtime.data.Raster;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.stats.Statistics;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.TrainingStep;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Whether the input pipeline keeps up with training: images per second of decoding, augmenting
 * and normalising alone (the {@link Batches} the training loop uses, with 1 and with all worker
 * threads), beside the training rate of the model each kind of data feeds, measured in the same
 * process. Configurations take turns round after round, and each figure is the median over
 * rounds with its range.
 *
 * <ul>
 *   <li>32x32: CIFAR-sized colour PNG files in an image folder, and the same images in memory
 *       (CIFAR's binary files are read into memory), against ViT-nano's baseline step;
 *   <li>224x224: 500x375 colour JPEG files (the size of a typical ImageNet photo) through the
 *       random-resized crop, against ViT-Ti's baseline step.
 * </ul>
 *
 * <pre>
 * PipelineThroughput [--out DIR] [--rounds 3] [--steps 6]
 * </pre>
 */
public final class PipelineThroughput {

    private static final int SMALL_IMAGES = 4_000;
    private static final int PHOTOS = 400;

    private PipelineThroughput() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = ProgramOptions.parse(args, List.of("out", "rounds", "steps"));
        Path out = Path.of(options.getOrDefault("out", "target/pipeline"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int steps = Integer.parseInt(options.getOrDefault("steps", "6"));
        int cores = Runtime.getRuntime().availableProcessors();

        Path small = out.resolve("png-32");
        Path photos = out.resolve("jpeg-500x375");
        if (!Files.isDirectory(small)) {
            AtomicFiles.writeFolder(small, dir -> writeImages(dir, SMALL_IMAGES, 32, 32, "png"));
        }
        if (!Files.isDirectory(photos)) {
            AtomicFiles.writeFolder(photos, dir -> writeImages(dir, PHOTOS, 500, 375, "jpg"));
        }
        ImageDataset smallFolder = Datasets.load(new DataSpec("folder", small, null, null, null,
                0, "0.5,0.5,0.5/0.25,0.25,0.25", 0, 0, cores), System.out::println);
        ImageDataset photoFolder = Datasets.load(new DataSpec("folder", photos, null, null,
                null, 224, "imagenet", 0, 0, cores), System.out::println);
        ImageSource smallInMemory = inMemory(smallFolder.train());

        Map<String, Runnable> passes = new LinkedHashMap<>();
        Map<String, Integer> images = new LinkedHashMap<>();
        List<Integer> threadCounts = cores > 1 ? List.of(1, cores) : List.of(1);
        for (int threads : threadCounts) {
            add(passes, images, "32x32 PNG folder, pad-crop + flip", smallFolder.train(),
                    smallFolder.pipeline(), threads);
            add(passes, images, "32x32 in memory (CIFAR files), pad-crop + flip", smallInMemory,
                    smallFolder.pipeline(), threads);
            add(passes, images, "500x375 JPEG folder -> 224x224, random-resized crop + flip",
                    photoFolder.train(), photoFolder.pipeline(), threads);
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Runnable> pass : passes.entrySet()) {
                long start = System.nanoTime();
                pass.getValue().run();
                double rate = images.get(pass.getKey()) / ((System.nanoTime() - start) / 1e9);
                rates.computeIfAbsent(pass.getKey(), key -> new ArrayList<>()).add(rate);
                System.out.printf(Locale.ROOT, "round %d %s: %.0f img/s%n", round + 1,
                        pass.getKey(), rate);
            }
        }
        double[] vitNano = trainingRates(smallFolder, "vit", "nano", 128, steps);
        double[] vitTiny = trainingRates(photoFolder, "vit", "tiny", 32, steps);

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Measured %s on %d cores, %d rounds (median"
                + " [min, max] images/s).%n%n", java.time.LocalDate.now(), cores, rounds));
        table.append("| pipeline | threads | img/s | fed model (baseline step) | its img/s |"
                + " pipeline / training |\n|---|---:|---:|---|---:|---:|\n");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double[] r = entry.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            boolean photo = entry.getKey().contains("224");
            double[] training = photo ? vitTiny : vitNano;
            double median = Statistics.median(r);
            double trainingMedian = Statistics.median(training);
            String name = entry.getKey().substring(0, entry.getKey().lastIndexOf(" @"));
            String threads = entry.getKey().substring(entry.getKey().lastIndexOf('@') + 1);
            table.append(String.format(Locale.ROOT,
                    "| %s | %s | %.0f [%.0f, %.0f] | %s | %.0f [%.0f, %.0f] | %.1fx |%n",
                    name, threads, median, Statistics.quantile(r, 0), Statistics.quantile(r, 1),
                    photo ? "ViT-Ti, 3x224x224, batch 32" : "ViT-nano, 3x32x32, batch 128",
                    trainingMedian, Statistics.quantile(training, 0),
                    Statistics.quantile(training, 1), median / trainingMedian));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("pipeline.md"), table.toString());
        System.out.println();
        System.out.print(table);
    }

    private static void add(Map<String, Runnable> passes, Map<String, Integer> images,
            String name, ImageSource source, ImagePipeline pipeline, int threads) {
        String key = name + " @" + threads;
        images.put(key, source.count());
        passes.put(key, () -> {
            try (Batches batches = Batches.training(source, pipeline, 64, 0, 0, threads)) {
                while (batches.hasNext()) {
                    batches.next();
                }
            }
        });
    }

    /** The images decoded once into memory, as CIFAR's binary files are read. */
    private static LabeledImages inMemory(ImageSource source) {
        Raster first = source.read(0);
        int size = first.pixels().length;
        byte[] pixels = new byte[source.count() * size];
        int[] labels = new int[source.count()];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(source.read(i).pixels(), 0, pixels, i * size, size);
            labels[i] = source.label(i);
        }
        return new LabeledImages(new ImageShape(first.channels(), first.height(), first.width()),
                pixels, labels);
    }

    /** Images per second of each of {@code steps} baseline steps, after two to warm up. */
    private static double[] trainingRates(ImageDataset data, String architecture, String size,
            int batchSize, int steps) {
        RunConfig config = RunConfig.builder().architecture(architecture).size(size)
                .method(Method.BASELINE).dataset("synthetic").batchSize(batchSize).device("cpu")
                .build();
        Batch batch;
        try (Batches batches = Batches.training(data.train(), data.pipeline(), batchSize, 0, 0,
                1)) {
            batch = batches.next();
        }
        double[] rates = new double[steps];
        try (NDManager manager = NDManager.newBaseManager(Engines.device("cpu"),
                Engines.pytorch().getEngineName())) {
            Block network = Training.initializedNetwork(config, data, manager);
            TrainingStep step = new TrainingStep(config, network,
                    Tracker.fixed(config.learningRate()), manager);
            for (int i = -2; i < steps; i++) {
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(FloatBuffer.wrap(batch.pixels(), 0,
                            batch.size() * data.shape().size()), data.shape().batch(batch.size()),
                            DataType.FLOAT32);
                    NDArray targets = scope.create(batch.labels()).oneHot(data.classes());
                    step.run(x, targets).getFloat();
                }
                double rate = batch.size() / ((System.nanoTime() - start) / 1e9);
                if (i >= 0) {
                    rates[i] = rate;
                }
                System.out.printf(Locale.ROOT, "%s-%s step %d: %.1f img/s%n", architecture,
                        size, i, rate);
            }
        }
        return rates;
    }

    /**
     * {@code count} colour images of 10 classes: smooth gradients in a class's hue with seeded
     * noise, so that compression works about as hard as on photos.
     */
    static void writeImages(Path root, int count, int width, int height, String format)
            throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            String split = i % 20 == 19 ? "val" : "train";
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            double phase = random.nextDouble() * Math.PI;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double wave = Math.sin(phase + (x + label * y) * 0.05) * 0.5 + 0.5;
                    int rgb = 0;
                    for (int channel = 0; channel < 3; channel++) {
                        double level = wave * 255 * (label % 3 == channel ? 1 : 0.4)
                                + random.nextGaussian() * 12;
                        rgb = rgb << 8 | clamp(level);
                    }
                    image.setRGB(x, y, rgb);
                }
            }
            Path file = root.resolve(split).resolve("c" + label)
                    .resolve(String.format("%05d.%s", i, format));
            Files.createDirectories(file.getParent());
            ImageIO.write(image, format, file.toFile());
        }
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, value));
    }
}
