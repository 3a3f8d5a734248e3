package dev.cosub.runtime.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Minimum test accuracies a network must reach, for CI: a build fails when a figure is below its
 * threshold.
 *
 * @param minTop1 lowest acceptable top-1 as a fraction in [0, 1], or {@code null} for none
 * @param minTop5 lowest acceptable top-5 as a fraction in [0, 1], or {@code null} for none
 */
public record AccuracyGate(Double minTop1, Double minTop5) {

    public AccuracyGate {
        check("minTop1", minTop1);
        check("minTop5", minTop5);
    }

    private static void check(String parameter, Double threshold) {
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(parameter + " = " + threshold
                    + " is invalid: expected a fraction in [0, 1], e.g. 0.85 for 85%");
        }
    }

    /** Whether any threshold is set. */
    public boolean isSet() {
        return minTop1 != null || minTop5 != null;
    }

    /** One line per threshold that {@code metrics} misses, naming metric, threshold and value. */
    public List<String> failures(EvalMetrics metrics) {
        List<String> failures = new ArrayList<>();
        compare("top-1", "minTop1", minTop1, metrics.top1(), failures);
        compare("top-5", "minTop5", minTop5, metrics.top5(), failures);
        return failures;
    }

    private static void compare(String metric, String parameter, Double threshold, double value,
            List<String> failures) {
        if (threshold != null && value < threshold) {
            failures.add(String.format(Locale.ROOT,
                    "%s = %.4f (%.2f%%) is below %s = %.4f (%.2f%%)",
                    metric, value, 100 * value, parameter, threshold, 100 * threshold));
        }
    }
}
