package dev.cosub.runtime.data;

import java.util.Arrays;
import java.util.StringJoiner;

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
}
