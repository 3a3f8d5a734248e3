package dev.cosub.runtime.report;

import dev.cosub.runtime.runs.LeaderboardRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The paired difference of a comparison over its settings, as small multiples: one heat map per
 * model, recipe and budget, with a column per training-set size (and its epochs) and a row per
 * drop-path rate. Green where cosub is better, red where the baseline is, paler as the
 * difference shrinks; a heavy outline where the 95% interval excludes zero.
 */
final class DifferenceMap {

    private static final String BETTER = "#1a7f37";
    private static final String WORSE = "#b3261e";
    private static final int COLUMN_WIDTH = 150;
    private static final int ROW_HEIGHT = 64;

    private DifferenceMap() {}

    /** What a map shows: a difference of each row, its name and how it is printed. */
    enum Figure {
        TOP1("test top-1, cosub minus baseline (pp)", Comparison.Row::difference, false, 100,
                "%+.2f", "pp"),
        TEST_LOSS("final test loss, cosub minus baseline", Comparison.Row::lossDifference, true,
                1, "%+.4f", "");

        private final String title;
        private final Function<Comparison.Row, Comparison.Difference> difference;
        private final boolean lowerIsBetter;
        private final double scale;
        private final String format;
        private final String unit;

        Figure(String title, Function<Comparison.Row, Comparison.Difference> difference,
                boolean lowerIsBetter, double scale, String format, String unit) {
            this.title = title;
            this.difference = difference;
            this.lowerIsBetter = lowerIsBetter;
            this.scale = scale;
            this.format = format;
            this.unit = unit;
        }

        String number(double value) {
            return String.format(Locale.ROOT, format, scale * value);
        }
    }

    /** The maps of {@code figure}, one per panel; empty when no row has a paired seed. */
    static String of(List<Comparison.Row> rows, Figure figure) {
        Map<String, List<Comparison.Row>> panels = new LinkedHashMap<>();
        for (Comparison.Row r : rows) {
            if (figure.difference.apply(r).seeds() > 0) {
                panels.computeIfAbsent(panel(r), k -> new ArrayList<>()).add(r);
            }
        }
        if (panels.isEmpty()) {
            return "";
        }
        double largest = rows.stream().map(figure.difference)
                .filter(d -> d.seeds() > 0)
                .mapToDouble(d -> Math.abs(d.mean())).max().orElse(0);
        Map<String, Long> titles = panels.values().stream()
                .collect(Collectors.groupingBy(group -> title(group.get(0)),
                        Collectors.counting()));
        StringBuilder maps = new StringBuilder("<h3>").append(Svg.escape(figure.title))
                .append("</h3>\n");
        panels.forEach((key, group) -> {
            String title = title(group.get(0));
            maps.append(panel(titles.get(title) > 1 ? key : title, group, figure, largest));
        });
        return maps.toString();
    }

    /** What a panel's rows share: all but the training images, epochs and drop-path. */
    private static String panel(Comparison.Row r) {
        LeaderboardRow e = r.example();
        return String.format(Locale.ROOT, "%s, %s, batch %d, lr %s, drop-path %s, lambda %s",
                e.dataset(), title(r), e.batchSize(), e.learningRate(), e.dropPathMode(),
                e.lambda());
    }

    /** A panel's short name, enough unless two panels differ only in other settings. */
    private static String title(Comparison.Row r) {
        LeaderboardRow e = r.example();
        return String.format(Locale.ROOT, "%s-%s %s, %s budget", e.architecture(), e.size(),
                e.recipeLabel(), r.budget());
    }

    private static String panel(String name, List<Comparison.Row> group, Figure figure,
            double largest) {
        List<String> columns = group.stream()
                .sorted(Comparator.comparingInt((Comparison.Row r) -> r.example().trainImages())
                        .thenComparingInt(r -> r.example().epochs()))
                .map(DifferenceMap::column).distinct().toList();
        List<Float> dropPaths = new ArrayList<>(new TreeSet<>(group.stream()
                .map(r -> r.example().dropPath()).toList()));
        int width = 90 + COLUMN_WIDTH * columns.size();
        int height = 28 + 56 + ROW_HEIGHT * dropPaths.size();
        Svg svg = new Svg(name, Math.max(width, 420), height, -0.5,
                columns.size() - 0.5, -0.5, dropPaths.size() - 0.5)
                .axes("training images × epochs", "drop-path", List.of(), List.of());
        for (int c = 0; c < columns.size(); c++) {
            svg.xLabel(c, List.of(columns.get(c)));
        }
        for (int d = 0; d < dropPaths.size(); d++) {
            svg.yLabel(d, String.format(Locale.ROOT, "%.2f", dropPaths.get(d)));
        }
        for (Comparison.Row r : group) {
            Comparison.Difference difference = figure.difference.apply(r);
            double goodness = figure.lowerIsBetter ? -difference.mean() : difference.mean();
            double strength = largest > 0 ? Math.abs(difference.mean()) / largest : 0;
            boolean decided = difference.verdict() == Comparison.Verdict.COSUB_BETTER
                    || difference.verdict() == Comparison.Verdict.BASELINE_BETTER;
            List<String> lines = new ArrayList<>();
            lines.add(figure.number(difference.mean()) + (figure.unit.isEmpty() ? ""
                    : " " + figure.unit));
            lines.add(difference.interval().exists()
                    ? "[" + figure.number(difference.interval().low()) + ", "
                            + figure.number(difference.interval().high()) + "]"
                    : "no interval");
            lines.add(difference.seeds() + " seed(s): " + shortVerdict(difference.verdict()));
            svg.cell(columns.indexOf(column(r)), dropPaths.indexOf(r.example().dropPath()),
                    goodness >= 0 ? BETTER : WORSE, 0.08 + 0.6 * strength, decided, lines,
                    column(r) + ", drop-path " + r.example().dropPath() + ": "
                            + String.join(" ", lines));
        }
        return svg.toString();
    }

    private static String column(Comparison.Row r) {
        return String.format(Locale.ROOT, "%,d × %d", r.example().trainImages(),
                r.example().epochs());
    }

    private static String shortVerdict(Comparison.Verdict verdict) {
        return switch (verdict) {
            case COSUB_BETTER -> "cosub better";
            case BASELINE_BETTER -> "baseline better";
            case NO_DETECTABLE_DIFFERENCE -> "no difference";
            case ONE_SEED, NOT_PAIRED -> "no verdict";
        };
    }
}
