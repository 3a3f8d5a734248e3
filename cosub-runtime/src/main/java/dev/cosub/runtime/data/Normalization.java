package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.Supplier;

/** Per-channel mean and standard deviation, in [0, 1] pixel units. */
public record Normalization(float[] mean, float[] std) {

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalization needs one mean and one std per channel");
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException("normalization std must be positive, got " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Maps a value in [0, 1] of {@code channel} to its normalised value. */
    public float normalize(int channel, float value) {
        return (value - mean[channel]) / std[channel];
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** This normalisation as a {@code normalization} setting, {@code m1,m2/s1,s2}. */
    public String setting() {
        return commaSeparated(mean) + "/" + commaSeparated(std);
    }

    private static String commaSeparated(float[] values) {
        StringJoiner text = new StringJoiner(",");
        for (float value : values) {
            text.add(Float.toString(value));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Normalization n
                && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    /**
     * Parses a {@code normalization} setting: {@code null} or blank for the dataset's own,
     * {@code imagenet}, or per-channel means and deviations {@code m1,m2,m3/s1,s2,s3}.
     *
     * @return the normalisation, or {@code null} for the dataset's own
     * @throws IllegalArgumentException naming the setting and what is expected
     */
    public static Normalization parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return null;
        }
        String value = setting.trim().toLowerCase(Locale.ROOT);
        if (value.equals("imagenet")) {
            return new Normalization(new float[] {0.485f, 0.456f, 0.406f},
                    new float[] {0.229f, 0.224f, 0.225f});
        }
        String[] parts = value.split("/");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("no '/' between means and deviations");
            }
            return new Normalization(floats(parts[0]), floats(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("normalization = " + setting + " is invalid ("
                    + e.getMessage() + "): expected empty (the dataset's own), imagenet, or"
                    + " per-channel means and deviations in [0, 1] units, e.g."
                    + " 0.49,0.48,0.45/0.25,0.24,0.26", e);
        }
    }

    private static float[] floats(String list) {
        String[] items = list.split(",");
        float[] values = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = Float.parseFloat(items[i].trim());
        }
        return values;
    }

    /**
     * The per-channel mean and deviation of up to {@code sampleSize} training images (a fixed
     * sample, the same for every seed), centre-cropped to the network's size.
     */
    static Normalization measured(ImageFolder train, ImageShape shape, int threads,
            int sampleSize) {
        int[] order = Batches.shuffled(train.count(), new Random(0));
        ImageFolder sample = train.select(
                Arrays.copyOf(order, Math.min(sampleSize, order.length)));
        float[] zero = new float[shape.channels()];
        float[] one = new float[shape.channels()];
        Arrays.fill(one, 1f);
        ImagePipeline raw = new ImagePipeline(shape, new Normalization(zero, one),
                Augmentation.NONE);
        double[] sum = new double[shape.channels()];
        double[] squares = new double[shape.channels()];
        int plane = shape.height() * shape.width();
        long values = 0;
        try (Batches batches = Batches.evaluation(sample, raw, 64, threads)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                for (int i = 0; i < batch.size() * shape.size(); i++) {
                    int channel = (i % shape.size()) / plane;
                    sum[channel] += batch.pixels()[i];
                    squares[channel] += (double) batch.pixels()[i] * batch.pixels()[i];
                }
                values += (long) batch.size() * plane;
            }
        }
        float[] mean = new float[shape.channels()];
        float[] std = new float[shape.channels()];
        for (int c = 0; c < mean.length; c++) {
            double m = sum[c] / values;
            mean[c] = (float) m;
            // A blank sample would divide by zero: fall back to no scaling.
            double deviation = Math.sqrt(Math.max(squares[c] / values - m * m, 0));
            std[c] = deviation > 1e-6 ? (float) deviation : 1f;
        }
        return new Normalization(mean, std);
    }

    /**
     * The setting's normalisation, else the data's own (computed only then); it must match the
     * channels.
     */
    static Normalization chosen(String setting, Supplier<Normalization> own,
            ImageShape shape) {
        Normalization given = parse(setting);
        Normalization chosen = given != null ? given : own.get();
        if (chosen.mean().length != shape.channels()) {
            throw new IllegalArgumentException("normalization = " + setting
                    + " has " + chosen.mean().length + " channels but the images have "
                    + shape.channels() + ": expected one mean and one deviation per channel");
        }
        return chosen;
    }
}
