package dev.cosub.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.engine.MatmulPeak;
import dev.cosub.runtime.fork.NativeRuntime;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.model.layers.Flops;
import dev.cosub.runtime.runs.CodeVersion;
import dev.cosub.runtime.stats.Statistics;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunResult;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.TrainingStep;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where a training step's time goes, for each nano architecture: the step's median time in its
 * three parts (forward, backward, gradient clipping and optimizer update), beside the time its
 * matrix products (matrix multiplications and convolutions) take when each runs alone at the
 * shapes the step used, forward and backward apart. What a part spends beyond its products is
 * everything else: normalisations, activations, softmax, copies, drop-path, the optimizer.
 * libtorch's profiler then ranks those other operators; it slows the step down (about 2.5
 * times for ViT-nano on 2 cores), so its times rank, they do not add up to the step.
 *
 * <p>The matrix multiplications to run alone are read from the profile (their input shapes,
 * how often each occurs, and whether the backward pass ran it); convolutions are not, since the
 * profile keeps no strides, so each convolution layer of the network runs alone forward and
 * backward at its input shape.
 *
 * <pre>
 * Roofline [--architectures regnet,vit,pit,xcit,swin,convnext] [--method baseline]
 *          [--batch 128] [--steps 20] [--out DIR]
 * </pre>
 */
public final class Roofline {

    private static final int WARM_UP_STEPS = 5;
    private static final int PROFILED_STEPS = 3;
    private static final int ALONE_REPEATS = 7;
    private static final int LARGEST_OTHER_COSTS = 8;

    /** The parts of a step that are timed: forward, forward and backward, the whole step. */
    private static final int FORWARD = 0;
    private static final int FORWARD_BACKWARD = 1;
    private static final int WHOLE_STEP = 2;

    /** libtorch's matrix-multiplication kernels, whose input shapes give their FLOPs. */
    private static final Pattern MATMUL = Pattern.compile("aten::(mm|addmm|bmm|baddbmm)");

    /** Every operator that multiplies matrices, wrappers and convolution kernels included. */
    private static final Pattern PRODUCT = Pattern.compile(
            "aten::(mm|addmm|bmm|baddbmm|addbmm|matmul|linear|.*conv.*)");

    /** The name the autograd engine's backward functions have in the profile. */
    private static final String BACKWARD_FUNCTION = "autograd::engine::evaluate_function";

    /** Earlier start first, and at equal starts the longer event, which holds the other. */
    private static final Comparator<TraceEvent> PARENTS_FIRST =
            Comparator.comparingDouble(TraceEvent::ts)
                    .thenComparing(Comparator.comparingDouble(TraceEvent::dur).reversed());

    private Roofline() {}

    /**
     * One operator call as libtorch's legacy profiler writes it: microseconds since the
     * profile started, its inclusive duration, its thread, and its inputs' shapes.
     */
    record TraceEvent(String name, double ts, double dur, long tid, List<List<Long>> shape) {}

    /** Milliseconds per step of a step's products run alone, by pass, and their FLOPs. */
    record ProductsAlone(double forwardMillis, double backwardMillis, double flops) {}

    /** An operator's self time per step: its calls' durations less their nested calls'. */
    record OperatorTime(String name, double microsPerStep, double callsPerStep) {}

    /**
     * One architecture's figures, times in milliseconds per step (medians over the timed
     * steps).
     *
     * @param stepQuartiles the whole step's first quartile, median and third quartile
     * @param forward the forward pass and loss in training mode
     * @param forwardBackward the same with back-propagation
     * @param trainingFlops forward FLOPs of the model times three (forward and backward)
     * @param forwardProducts the forward pass's products, each run alone at its shapes
     * @param backwardProducts the backward pass's products, the same way
     * @param productFlops FLOPs of those products, forward and backward
     * @param others the non-product operators by the profiler's self time, largest first
     */
    record Row(String architecture, int batch, double[] stepQuartiles, double forward,
            double forwardBackward, double trainingFlops, double forwardProducts,
            double backwardProducts, double productFlops, List<OperatorTime> others) {

        double step() {
            return stepQuartiles[1];
        }

        double backward() {
            return forwardBackward - forward;
        }

        double update() {
            return step() - forwardBackward;
        }

        double products() {
            return forwardProducts + backwardProducts;
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = ProgramOptions.parse(args, List.of("architectures",
                "method", "batch", "steps", "out"));
        List<String> architectures = List.of(options.getOrDefault("architectures",
                "regnet,vit,pit,xcit,swin,convnext").split(","));
        Method method = Method.parse(options.getOrDefault("method", "baseline"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "128"));
        int steps = Integer.parseInt(options.getOrDefault("steps", "20"));
        Path out = Path.of(options.getOrDefault("out", "target/roofline"));
        Files.createDirectories(out);
        List<Row> rows = new ArrayList<>();
        double peak;
        try (NDManager manager = NDManager.newBaseManager(Engines.device("cpu"),
                Engines.pytorch().getEngineName())) {
            peak = MatmulPeak.measure(manager);
            System.out.printf(Locale.ROOT, "matmul peak %.1f GFLOP/s%n", peak / 1e9);
            for (String architecture : architectures) {
                Row row = measure(architecture, method, batch, steps, out, manager);
                rows.add(row);
                System.out.println(line(row, peak));
            }
            // The peak varies by 10-30% from minute to minute on a shared machine: the higher
            // of a measurement before and one after, so that a slow moment does not inflate
            // every share.
            peak = Math.max(peak, MatmulPeak.measure(manager));
        }
        String table = table(rows, method, peak, steps, childAllocator());
        Files.writeString(out.resolve("roofline.md"), table);
        System.out.print(table);
    }

    static Row measure(String architecture, Method method, int batch, int steps, Path out,
            NDManager parent) throws IOException {
        RunConfig config = RunConfig.builder().architecture(architecture).method(method)
                .dataset("fashion-mnist").trainSubset(batch).batchSize(batch).device("cpu")
                .build();
        ImageDataset data = Datasets.load("fashion-mnist", null, batch, 0);
        Batch images;
        try (Batches batches = Batches.training(data.train(), data.pipeline(), batch, 0, 0, 1)) {
            images = batches.next();
        }
        try (NDManager manager = parent.newSubManager()) {
            Block network = Training.initializedNetwork(config, data, manager);
            TrainingStep step = new TrainingStep(config, network,
                    Tracker.fixed(config.learningRate()), manager);
            Function<Integer, Runnable> part = kind -> () -> {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(FloatBuffer.wrap(images.pixels(), 0,
                            batch * data.shape().size()), data.shape().batch(batch),
                            DataType.FLOAT32);
                    NDArray targets = scope.create(images.labels()).oneHot(data.classes());
                    NDArray loss = kind == WHOLE_STEP ? step.run(x, targets)
                            : step.loss(x, targets, kind == FORWARD_BACKWARD);
                    loss.getFloat();
                }
            };
            Runnable wholeStep = part.apply(WHOLE_STEP);
            for (int i = 0; i < WARM_UP_STEPS; i++) {
                wholeStep.run();
            }
            // The parts take turns, so that a noisy machine slows them alike.
            double[][] millis = new double[3][steps];
            for (int i = 0; i < steps; i++) {
                for (int kind = 0; kind < 3; kind++) {
                    millis[kind][i] = millis(part.apply(kind));
                }
            }
            Path trace = out.resolve(architecture + "-" + method.name().toLowerCase(Locale.ROOT)
                    + "-trace.json");
            JniUtils.startProfile(false, true, false);
            for (int i = 0; i < PROFILED_STEPS; i++) {
                wholeStep.run();
            }
            JniUtils.stopProfile(trace.toString());
            List<TraceEvent> events = List.of(Json.read(trace, TraceEvent[].class));
            List<OperatorTime> others = selfTimes(events, PROFILED_STEPS).stream()
                    .filter(o -> !PRODUCT.matcher(o.name()).matches())
                    .limit(LARGEST_OTHER_COSTS).toList();
            ProductsAlone alone = productsAlone(events, network, batch * method.passesPerImage(),
                    manager);
            double trainingFlops = 3.0 * Flops.perImage(network) * batch * method.passesPerImage();
            double[] stepMillis = millis[WHOLE_STEP];
            return new Row(architecture, batch, new double[] {
                Statistics.quantile(stepMillis, 0.25), Statistics.median(stepMillis),
                Statistics.quantile(stepMillis, 0.75)}, Statistics.median(millis[FORWARD]),
                    Statistics.median(millis[FORWARD_BACKWARD]), trainingFlops,
                    alone.forwardMillis(), alone.backwardMillis(), alone.flops(), others);
        }
    }

    /**
     * Self time per step of every operator, largest first: an event's duration less the
     * durations of the events nested in it on the same thread.
     */
    static List<OperatorTime> selfTimes(List<TraceEvent> events, int steps) {
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (List<TraceEvent> thread : byThread(events)) {
            Deque<Integer> open = new ArrayDeque<>(); // indices of the calls still running
            double[] self = new double[thread.size()];
            for (int i = 0; i < thread.size(); i++) {
                TraceEvent event = thread.get(i);
                while (!open.isEmpty() && end(thread.get(open.peek())) <= event.ts()) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    self[open.peek()] -= event.dur();
                }
                self[i] += event.dur();
                open.push(i);
            }
            for (int i = 0; i < thread.size(); i++) {
                double[] total = byName.computeIfAbsent(thread.get(i).name(),
                        n -> new double[2]);
                total[0] += self[i];
                total[1]++;
            }
        }
        return byName.entrySet().stream()
                .map(e -> new OperatorTime(e.getKey(), e.getValue()[0] / steps,
                        e.getValue()[1] / steps))
                .sorted(Comparator.comparingDouble(OperatorTime::microsPerStep).reversed())
                .toList();
    }

    /**
     * The step's products run alone: milliseconds per step of the forward pass's and of the
     * backward pass's, and their FLOPs. Every matrix multiplication of the profile runs at its
     * shapes; every convolution layer runs forward, then forward and backward, at its input
     * shape for {@code rows} images.
     */
    static ProductsAlone productsAlone(List<TraceEvent> events, Block network, int rows,
            NDManager manager) {
        Map<String, Integer> calls = new LinkedHashMap<>();
        Map<String, TraceEvent> examples = new LinkedHashMap<>();
        Set<TraceEvent> backward = inBackward(events);
        for (TraceEvent event : events) {
            if (MATMUL.matcher(event.name()).matches()) {
                String key = (backward.contains(event) ? "backward " : "forward ")
                        + event.name() + event.shape();
                calls.merge(key, 1, Integer::sum);
                examples.putIfAbsent(key, event);
            }
        }
        double forwardMillis = 0;
        double backwardMillis = 0;
        double flops = 0;
        for (Map.Entry<String, Integer> entry : calls.entrySet()) {
            TraceEvent example = examples.get(entry.getKey());
            // addmm and baddbmm add the product into their first operand.
            int first = example.name().startsWith("aten::add")
                    || example.name().startsWith("aten::badd") ? 1 : 0;
            List<Long> left = example.shape().get(first);
            List<Long> right = example.shape().get(first + 1);
            double perStep = (double) entry.getValue() / PROFILED_STEPS;
            double millis;
            try (NDManager scope = manager.newSubManager()) {
                NDArray a = random(scope, left);
                NDArray b = random(scope, right);
                Supplier<NDArray> product = left.size() == 2 ? () -> a.matMul(b)
                        : () -> a.batchMatMul(b);
                millis = perStep * aloneMillis(() -> product.get().close());
            }
            if (backward.contains(example)) {
                backwardMillis += millis;
            } else {
                forwardMillis += millis;
            }
            long m = left.get(left.size() - 2);
            long k = left.get(left.size() - 1);
            long n = right.get(right.size() - 1);
            long batches = left.size() == 3 ? left.get(0) : 1;
            flops += perStep * 2.0 * batches * m * k * n;
        }
        long initialisedRows = network.getInputShapes()[0].get(0);
        for (Convolution convolution : convolutions(network, new ArrayList<>())) {
            long[] input = convolution.getInputShapes()[0].getShape().clone();
            input[0] = input[0] * rows / initialisedRows;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.randomNormal(new Shape(input));
                NDArray weight = convolution.getParameters().get("weight").getArray()
                        .duplicate();
                Supplier<NDArray> forward = () -> Conv2d.conv2d(x, weight, null,
                        convolution.getStride(), convolution.getPadding(),
                        convolution.getDilation(), convolution.getGroups()).singletonOrThrow();
                double forwardOnly = aloneMillis(() -> forward.get().close());
                x.setRequiresGradient(true);
                weight.setRequiresGradient(true);
                double both = aloneMillis(() -> {
                    try (GradientCollector collector = Engine.getEngine(
                            Engines.ENGINE_NAME).newGradientCollector()) {
                        collector.backward(forward.get().sum());
                    }
                });
                forwardMillis += forwardOnly;
                backwardMillis += Math.max(0, both - forwardOnly);
            }
            flops += 3.0 * Flops.of(convolution) * rows / initialisedRows;
        }
        return new ProductsAlone(forwardMillis, backwardMillis, flops);
    }

    /** The events that ran inside the autograd engine's backward functions. */
    static Set<TraceEvent> inBackward(List<TraceEvent> events) {
        Set<TraceEvent> backward = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<TraceEvent> thread : byThread(events)) {
            Deque<TraceEvent> open = new ArrayDeque<>();
            for (TraceEvent event : thread) {
                while (!open.isEmpty() && end(open.peek()) <= event.ts()) {
                    open.pop();
                }
                if (open.stream().anyMatch(o -> o.name().startsWith(BACKWARD_FUNCTION))) {
                    backward.add(event);
                }
                open.push(event);
            }
        }
        return backward;
    }

    private static double end(TraceEvent event) {
        return event.ts() + event.dur();
    }

    /** Each thread's events, parents before the calls nested in them. */
    private static List<List<TraceEvent>> byThread(List<TraceEvent> events) {
        Map<Long, List<TraceEvent>> threads = new LinkedHashMap<>();
        for (TraceEvent event : events) {
            threads.computeIfAbsent(event.tid(), t -> new ArrayList<>()).add(event);
        }
        threads.values().forEach(thread -> thread.sort(PARENTS_FIRST));
        return List.copyOf(threads.values());
    }

    private static List<Convolution> convolutions(Block block, List<Convolution> found) {
        if (block instanceof Convolution convolution) {
            found.add(convolution);
        }
        for (Block child : block.getChildren().values()) {
            convolutions(child, found);
        }
        return found;
    }

    private static NDArray random(NDManager scope, List<Long> shape) {
        return scope.randomNormal(new Shape(shape.stream().mapToLong(Long::longValue)
                .toArray()));
    }

    /**
     * The fastest of a few timed runs after one untimed: what the product costs when nothing
     * else on the machine gets in its way, the bound a roofline asks for.
     */
    private static double aloneMillis(Runnable work) {
        work.run();
        double fastest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < ALONE_REPEATS; i++) {
            fastest = Math.min(fastest, millis(work));
        }
        return fastest;
    }

    private static double millis(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static String line(Row row, double peak) {
        return String.format(Locale.ROOT, "%s: step %.1f ms (forward %.1f, backward %.1f, update"
                + " %.1f), %.0f%% of peak; products alone %.1f ms", row.architecture(),
                row.step(), row.forward(), row.backward(), row.update(),
                100 * peakShare(row.trainingFlops(), row.step(), peak), row.products());
    }

    private static double peakShare(double flops, double millis, double peak) {
        return flops / (millis / 1e3) / peak;
    }

    /** Whether this JVM has the allocator settings of a training child, as exec:exec gives. */
    static boolean childAllocator() {
        return NativeRuntime.choose(null, Runtime.getRuntime().availableProcessors(), 0)
                .environment().entrySet().stream()
                .filter(e -> e.getKey().startsWith("MALLOC_"))
                .allMatch(e -> e.getValue().equals(System.getenv(e.getKey())));
    }

    static String table(List<Row> rows, Method method, double peak, int steps,
            boolean childAllocator) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Roofline: %s, one training step of %d images%n%n",
                method.name().toLowerCase(Locale.ROOT), rows.isEmpty() ? 0 : rows.get(0).batch()));
        md.append(String.format(Locale.ROOT, "CPU: %s (%d processors). Matmul peak in this"
                + " process (2048x2048 float32, the better of a measurement before and one after"
                + " the architectures): %.1f GFLOP/s. Step: median [first, third"
                + " quartile] of %d steps after %d warm-up steps, unprofiled; forward (with the"
                + " loss) and forward-and-backward are timed apart, taking turns with the step."
                + " Products: matrix multiplications and convolutions, each run alone at the"
                + " shapes the step used (the fastest of 7 runs); rest: what the part spends besides them. The last"
                + " column is the share of peak the step would reach if it took only its"
                + " products' time. Allocator settings of a training child: %s. Code: cosub"
                + " %s.%n%n",
                RunResult.Environment.cpuModel(), Runtime.getRuntime().availableProcessors(),
                peak / 1e9, steps, WARM_UP_STEPS, childAllocator ? "yes" : "no",
                CodeVersion.describe(CodeVersion.current())));
        md.append("| architecture | step ms | share of peak | forward ms: products alone +"
                + " rest | backward ms: products alone + rest | clipping and update ms |"
                + " products alone: share of step | products alone GFLOP/s | step at products'"
                + " time: share of peak |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            double[] q = row.stepQuartiles();
            md.append(String.format(Locale.ROOT, "| %s | %.1f [%.1f, %.1f] | %.0f%% | %.1f: %.1f"
                    + " + %.1f | %.1f: %.1f + %.1f | %.1f | %.0f%% | %.1f | %.0f%% |%n",
                    row.architecture(), q[1], q[0], q[2],
                    100 * peakShare(row.trainingFlops(), row.step(), peak), row.forward(),
                    row.forwardProducts(), row.forward() - row.forwardProducts(),
                    row.backward(), row.backwardProducts(),
                    row.backward() - row.backwardProducts(), row.update(),
                    100 * row.products() / row.step(),
                    row.productFlops() / (row.products() / 1e3) / 1e9,
                    100 * peakShare(row.trainingFlops(), row.products(), peak)));
        }
        md.append("\nThe largest costs besides products as libtorch's profiler ranks them: self"
                + " time per profiled step (ms; the profiler slows a step down, so these rank the"
                + " costs, they do not add up to the step) and calls per step:\n\n");
        for (Row row : rows) {
            md.append("- **").append(row.architecture()).append("**: ");
            List<String> parts = new ArrayList<>();
            for (OperatorTime other : row.others()) {
                parts.add(String.format(Locale.ROOT, "%s %.1f (%.0f)",
                        other.name().replace("aten::", ""), other.microsPerStep() / 1e3,
                        other.callsPerStep()));
            }
            md.append(String.join(", ", parts)).append('\n');
        }
        return md.toString();
    }
}

