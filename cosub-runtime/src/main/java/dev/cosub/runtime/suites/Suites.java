package dev.cosub.runtime.suites;

import dev.cosub.runtime.data.ImageFolderExport;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.Recipe;
import dev.cosub.runtime.train.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The suites this project ships. Each is reproducible: fixed seeds, fixed data, fixed recipe. */
public final class Suites {

    /** The folder, beside the suites' folders, that holds Fashion-MNIST written as PNG files. */
    static final String FASHION_MNIST_PNG = "fashion-mnist-png";

    private Suites() {}

    /**
     * All suites, with {@code override} applied to every run (command-line changes such as the
     * number of epochs or the device).
     *
     * @param root the folder that holds the suites' folders and the data they make
     */
    public static Map<String, Suite> all(Path root, UnaryOperator<RunConfig.Builder> override) {
        Map<String, Suite> suites = new LinkedHashMap<>();
        add(suites, "vit-nano-fashion-mnist",
                "ViT-nano on all 60,000 Fashion-MNIST images, baseline vs cosub, equal epochs",
                () -> RunConfig.builder().dataset("fashion-mnist").epochs(5), List.of("vit"),
                List.of(UnaryOperator.identity()), override);
        add(suites, "vit-nano-fashion-mnist-quick",
                "ViT-nano on 10,000 Fashion-MNIST images for 3 epochs, baseline vs cosub",
                () -> RunConfig.builder().dataset("fashion-mnist").trainSubset(10_000).epochs(3),
                List.of("vit"), List.of(UnaryOperator.identity()), override);
        add(suites, "nano-architectures-fashion-mnist",
                "All six architectures, nano size, on 10,000 Fashion-MNIST images for 5 epochs,"
                        + " baseline vs cosub",
                () -> RunConfig.builder().dataset("fashion-mnist").trainSubset(10_000).epochs(5),
                List.copyOf(Architectures.names()), List.of(UnaryOperator.identity()), override);
        add(suites, "drop-path-modes",
                "Efficient against masked stochastic depth: ViT-nano and ConvNeXt-nano, uniform"
                        + " drop-path 0.5, 10,000 Fashion-MNIST images for 2 epochs, evaluated"
                        + " once",
                () -> RunConfig.builder().dataset("fashion-mnist").trainSubset(10_000).epochs(2)
                        .evalEvery(2).dropPath(0.5f).dropPathSchedule(DropPathSchedule.UNIFORM),
                List.of("vit", "convnext"),
                List.of(b -> b.dropPathMode(DropPathMode.MASK),
                        b -> b.dropPathMode(DropPathMode.EFFICIENT)),
                override);
        add(suites, "vit-nano-recipes",
                "ViT-nano on all 60,000 Fashion-MNIST images for 10 epochs: the simple recipe"
                        + " against DeiT III's (3-Augment, Mixup/CutMix, binarised BCE targets,"
                        + " uniform drop-path), baseline vs cosub",
                () -> RunConfig.builder().dataset("fashion-mnist").epochs(10), List.of("vit"),
                List.of(b -> b.recipe(Recipe.SIMPLE), b -> b.recipe(Recipe.DEIT3)), override);
        add(suites, "small-data-long",
                "Where regularisation should matter: ViT-nano and ConvNeXt-nano on 5,000"
                        + " Fashion-MNIST images for 30 epochs, drop-path 0.3 then 0.1, seeds 0-2,"
                        + " at equal epochs and at equal compute",
                () -> RunConfig.builder().dataset("fashion-mnist").trainSubset(5_000).epochs(30)
                        .evalEvery(3),
                List.of("vit", "convnext"),
                List.of(b -> b.dropPath(0.3f), b -> b.dropPath(0.1f)),
                List.of(0L, 1L, 2L), List.of(Budget.EPOCHS, Budget.COMPUTE), override);
        add(suites, "small-data-architectures",
                "All six architectures, nano size, on 5,000 Fashion-MNIST images for 10 epochs,"
                        + " drop-path 0.1, seeds 0 and 1, equal epochs",
                () -> RunConfig.builder().dataset("fashion-mnist").trainSubset(5_000).epochs(10)
                        .evalEvery(2),
                List.copyOf(Architectures.names()), List.of(UnaryOperator.identity()),
                List.of(0L, 1L), List.of(Budget.EPOCHS), override);
        add(suites, REGIME_MAP,
                "Where does cosub help? Fashion-MNIST subsets drawn with subset seed 0, simple"
                        + " recipe, equal epochs, seeds 0-2, evaluated every 10 epochs, cell by"
                        + " cell: ConvNeXt-nano on 1,000 images x 200 epochs at drop-path 0.1,"
                        + " then one step along each axis (drop-path 0.3; 500 images x 400"
                        + " epochs; ViT-nano, uniform drop-path; ConvNeXt-micro), then the rest"
                        + " of 500, 1,000 and 2,000 images at both rates for both nano models"
                        + " and both micro models on 1,000 x 200 (over 40 CPU-hours on 2 cores:"
                        + " run with --reuse and stop when you like; finished cells stay)",
                Suites::regimeMapRun,
                List.of("convnext"), regimeMapCells(), List.of(0L, 1L, 2L),
                List.of(Budget.EPOCHS), override);
        addRegimeMapCellAlone(suites, REGIME_MAP_CELL_2, RegimeMapCell.CELL_2,
                "about 2 hours on 2 cores", override);
        addRegimeMapCellAlone(suites, REGIME_MAP_CELL_3, RegimeMapCell.CELL_3,
                "about 3 hours on 2 cores", override);
        addRegimeMapCellAlone(suites, REGIME_MAP_CELL_5, RegimeMapCell.CELL_5,
                "about 3 hours on 2 cores", override);
        Path png = root.resolve(FASHION_MNIST_PNG).toAbsolutePath();
        add(suites, "folder-vs-idx",
                "The image-folder reader against the IDX reader on the same 70,000"
                        + " Fashion-MNIST images (written as PNG files to " + png + " first):"
                        + " ViT-nano and ConvNeXt-nano baselines, 3 epochs, seed 0",
                () -> RunConfig.builder().trainSubset(0).epochs(3).evalEvery(3),
                List.of("vit", "convnext"),
                List.of(b -> b.dataset("fashion-mnist"),
                        b -> b.dataset("folder").dataDirectory(png)),
                List.of(), List.of(Budget.EPOCHS), List.of(Method.BASELINE), override);
        // The folder is written from the IDX files the IDX runs read.
        suites.computeIfPresent("folder-vs-idx", (name, readers) -> {
            Path idx = readers.runs().stream()
                    .filter(run -> run.dataset().equals("fashion-mnist"))
                    .findFirst().orElseThrow().dataDirectory();
            return readers.preparedBy(log -> ImageFolderExport.exportOnce("fashion-mnist", idx,
                    png, log));
        });
        add(suites, "smoke",
                "ViT-nano on generated images for 2 epochs: checks the whole pipeline in seconds",
                () -> RunConfig.builder().dataset("synthetic").trainSubset(2_000).epochs(2),
                List.of("vit"), List.of(UnaryOperator.identity()), override);
        return suites;
    }

    /** The suite that maps where cosub helps; its folder is published as docs/results/regime-map. */
    public static final String REGIME_MAP = "regime-map";

    /**
     * The regime map's cell 2 on its own, with the equal-compute baseline the map adds where
     * cosub is better at equal epochs; its epochs-budget runs are the map's.
     */
    public static final String REGIME_MAP_CELL_2 = "regime-map-cell-2";

    /** The regime map's cell 3 on its own, likewise: 500 images x 400 epochs, drop-path 0.1. */
    public static final String REGIME_MAP_CELL_3 = "regime-map-cell-3";

    /** The regime map's cell 5 on its own, likewise: ConvNeXt-micro, 1,000 x 200 epochs. */
    public static final String REGIME_MAP_CELL_5 = "regime-map-cell-5";

    /**
     * A cell of the regime map where cosub's test loss was lower at equal epochs: both methods
     * at equal epochs (the map's runs) and the baseline at equal compute, seeds 0-2.
     */
    private static void addRegimeMapCellAlone(Map<String, Suite> suites, String name,
            RegimeMapCell cell, String duration, UnaryOperator<RunConfig.Builder> override) {
        add(suites, name, String.format(Locale.ROOT, "The regime map's cell where cosub's test"
                + " loss was lower: %s on %,d Fashion-MNIST images (subset seed 0) for %d epochs"
                + " at drop-path %.1f, evaluated every 10 epochs, seeds 0-2, both methods at"
                + " equal epochs and the baseline at equal compute (%d epochs); %s",
                cell.architecture() + "-" + cell.size(), cell.images(), cell.epochs(),
                cell.dropPath(), 2 * cell.epochs(), duration), Suites::regimeMapRun,
                List.of(cell.architecture()), List.of(cell.settings()), List.of(0L, 1L, 2L),
                List.of(Budget.EPOCHS, Budget.COMPUTE), override);
    }

    /**
     * The cells of the regime map in the order they run (the plan in
     * docs/results/regime-map/README.md): each sets the model, its drop-path, the images and
     * the epochs. First the centre (ConvNeXt-nano, 1,000 images x 200 epochs, drop-path 0.1)
     * and one step from it along each axis (drop-path 0.3, 500 images x 400 epochs, ViT-nano,
     * ConvNeXt-micro), so that an early stop still says which axis moves the difference; then
     * the rest of the grid.
     */
    private static List<UnaryOperator<RunConfig.Builder>> regimeMapCells() {
        List<RegimeMapCell> grid = new ArrayList<>();
        int[][] imagesAndEpochs = {{1_000, 200}, {500, 400}, {2_000, 200}};
        for (String architecture : List.of("convnext", "vit")) {
            for (int[] cell : imagesAndEpochs) {
                for (float dropPath : new float[] {0.1f, 0.3f}) {
                    grid.add(new RegimeMapCell(architecture, "nano", cell[0], cell[1],
                            dropPath));
                }
            }
        }
        for (String architecture : List.of("convnext", "vit")) {
            for (float dropPath : new float[] {0.1f, 0.3f}) {
                grid.add(new RegimeMapCell(architecture, "micro", 1_000, 200, dropPath));
            }
        }
        List<RegimeMapCell> ordered = new ArrayList<>(List.of(
                new RegimeMapCell("convnext", "nano", 1_000, 200, 0.1f),
                RegimeMapCell.CELL_2,
                RegimeMapCell.CELL_3,
                new RegimeMapCell("vit", "nano", 1_000, 200, 0.1f),
                RegimeMapCell.CELL_5));
        grid.stream().filter(cell -> !ordered.contains(cell)).forEach(ordered::add);
        return ordered.stream().map(RegimeMapCell::settings).toList();
    }

    /**
     * What every run of the regime map shares: the same images for every seed, evaluated every
     * 10 epochs.
     */
    private static RunConfig.Builder regimeMapRun() {
        return RunConfig.builder().dataset("fashion-mnist").subsetSeed(0L).evalEvery(10);
    }

    /** One cell of the regime map. */
    private record RegimeMapCell(String architecture, String size, int images, int epochs,
            float dropPath) {

        static final RegimeMapCell CELL_2 = new RegimeMapCell("convnext", "nano", 1_000, 200,
                0.3f);
        static final RegimeMapCell CELL_3 = new RegimeMapCell("convnext", "nano", 500, 400,
                0.1f);
        static final RegimeMapCell CELL_5 = new RegimeMapCell("convnext", "micro", 1_000, 200,
                0.1f);

        /**
         * The cell's settings. A ViT's drop-path is uniform over its blocks, as in DeiT III;
         * ConvNeXt keeps linear.
         */
        UnaryOperator<RunConfig.Builder> settings() {
            return b -> {
                b.architecture(architecture).size(size).trainSubset(images).epochs(epochs)
                        .dropPath(dropPath);
                return architecture.equals("vit")
                        ? b.dropPathSchedule(DropPathSchedule.UNIFORM) : b;
            };
        }
    }

    /** Baseline then cosub for each architecture and variant of the recipe, one seed. */
    private static void add(Map<String, Suite> suites, String name, String description,
            Supplier<RunConfig.Builder> base, List<String> architectures,
            List<UnaryOperator<RunConfig.Builder>> variants,
            UnaryOperator<RunConfig.Builder> override) {
        add(suites, name, description, base, architectures, variants, List.of(), List.of(
                Budget.EPOCHS), override);
    }

    private static void add(Map<String, Suite> suites, String name, String description,
            Supplier<RunConfig.Builder> base, List<String> architectures,
            List<UnaryOperator<RunConfig.Builder>> variants, List<Long> seeds,
            List<Budget> budgets, UnaryOperator<RunConfig.Builder> override) {
        add(suites, name, description, base, architectures, variants, seeds, budgets,
                List.of(Method.values()), override);
    }

    /**
     * For each variant, seed, architecture and budget: baseline then cosub. cosub trains the
     * same under both budgets, so it appears once per seed. Variants come first so that a long
     * suite completes all seeds of one variant before it starts the next.
     *
     * @param seeds the seeds, or none for the base's (which the command line may set)
     * @param methods the methods, baseline then cosub unless a suite needs only one
     */
    private static void add(Map<String, Suite> suites, String name, String description,
            Supplier<RunConfig.Builder> base, List<String> architectures,
            List<UnaryOperator<RunConfig.Builder>> variants, List<Long> seeds,
            List<Budget> budgets, List<Method> methods,
            UnaryOperator<RunConfig.Builder> override) {
        Set<RunConfig> runs = new LinkedHashSet<>();
        List<Long> seedsOrBase = seeds.isEmpty() ? Collections.singletonList(null) : seeds;
        for (UnaryOperator<RunConfig.Builder> variant : variants) {
            for (Long seed : seedsOrBase) {
                for (String architecture : architectures) {
                    for (Budget budget : budgets) {
                        for (Method method : methods) {
                            RunConfig.Builder builder = base.get()
                                    .architecture(architecture).method(method).budget(budget);
                            if (seed != null) {
                                builder.seed(seed);
                            }
                            // The variant last: what it sets (a folder run's own data) is what
                            // the suite compares, so a command-line override must not undo it.
                            runs.add(variant.apply(override.apply(builder)).build());
                        }
                    }
                }
            }
        }
        suites.put(name, new Suite(name, description, List.copyOf(runs), Suite.Preparation.NONE));
    }
}
