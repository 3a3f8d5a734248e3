package dev.cosub.runtime.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.TDistribution;

/** Summary statistics of small samples. */
public final class Statistics {

    /** The confidence of every interval cosub reports. */
    public static final double CONFIDENCE = 0.95;

    private Statistics() {}

    /**
     * The {@code q}-quantile of {@code values} by linear interpolation between order statistics
     * (the default of R and NumPy); NaN when there are none.
     *
     * @param q in [0, 1]: 0.5 is the median
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** The median of {@code values}; NaN when there are none. */
    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** The mean; NaN when there are no values. */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }

    /** The sample standard deviation (n - 1 in the denominator); NaN below two values. */
    public static double sampleStd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }

    /**
     * An interval for a mean.
     *
     * @param low lower end, NaN when there is no interval
     * @param high upper end, NaN when there is no interval
     */
    public record Interval(double low, double high) {

        /** No interval: fewer than two values. */
        public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

        public boolean exists() {
            return !Double.isNaN(low);
        }

        /** Whether the whole interval lies above zero. */
        public boolean above(double value) {
            return exists() && low > value;
        }

        /** Whether the whole interval lies below zero. */
        public boolean below(double value) {
            return exists() && high < value;
        }
    }

    /**
     * The Student-t confidence interval of the mean of {@code values}, at {@link #CONFIDENCE}:
     * mean ± t(n - 1) x s / sqrt(n). None below two values.
     */
    public static Interval meanInterval(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Interval.NONE;
        }
        double t = TDistribution.of(n - 1).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
        double half = t * sampleStd(values) / Math.sqrt(n);
        double mean = mean(values);
        return new Interval(mean - half, mean + half);
    }

    /**
     * The two-sided p-value of Student's one-sample t-test that the mean of {@code values} is
     * zero; NaN below two values. Its interval from {@link #meanInterval} excludes zero exactly
     * when this is below 1 - {@link #CONFIDENCE}.
     */
    public static double tTestPValue(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double std = sampleStd(values);
        double mean = mean(values);
        if (std == 0) {
            return mean == 0 ? 1 : 0;
        }
        double t = Math.abs(mean) / (std / Math.sqrt(n));
        return 2 * TDistribution.of(n - 1).survivalProbability(t);
    }

    /**
     * Holm's step-down adjustment of a family of p-values, which keeps the chance of any false
     * finding in the family at the level used: the i-th smallest of m is multiplied by m - i + 1,
     * then made no smaller than the one before it, capped at 1. NaN entries (rows without a test)
     * stay NaN and do not count in m.
     */
    public static double[] holm(double[] pValues) {
        Integer[] order = IntStream.range(0, pValues.length)
                .filter(i -> !Double.isNaN(pValues[i]))
                .boxed()
                .sorted(Comparator.comparingDouble(i -> pValues[i]))
                .toArray(Integer[]::new);
        double[] adjusted = new double[pValues.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int rank = 0; rank < order.length; rank++) {
            running = Math.max(running, Math.min(1, (order.length - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
