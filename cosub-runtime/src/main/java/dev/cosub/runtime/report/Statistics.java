package dev.cosub.runtime.report;

import java.util.Arrays;

/** Summary statistics of small samples. */
public final class Statistics {

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
}
