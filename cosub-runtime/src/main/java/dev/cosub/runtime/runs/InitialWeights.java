package dev.cosub.runtime.runs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.model.TimmCounterpart;
import dev.cosub.runtime.train.InitFrom;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Starts a run from the weights of its {@code initFrom}: a run folder, an exported model folder
 * or a safetensors file with this project's or timm's names. Every parameter is copied by name,
 * except a classifier whose class count differs, which keeps its fresh initialisation; any other
 * shape that differs is refused, and so is a file with tensors the network does not have.
 */
public final class InitialWeights implements Training.StartingWeights {

    private final RunConfig config;
    private final ImageShape shape;
    private final int classes;
    private final Consumer<String> log;

    /**
     * @param config the run's configuration, whose {@code initFrom} is set
     * @param shape the run's images
     * @param classes the run's class count
     */
    public InitialWeights(RunConfig config, ImageShape shape, int classes,
            Consumer<String> log) {
        this.config = config;
        this.shape = shape;
        this.classes = classes;
        this.log = log;
    }

    @Override
    public void apply(Block network, NDManager manager) {
        Path from = config.initFrom();
        if (!InitFrom.sha256(from).equals(config.initFromSha256())) {
            throw new InvalidDataException("initFrom = " + from + ": its weights changed after"
                    + " the configuration named them (SHA-256 " + config.initFromSha256() + ")");
        }
        try (NDManager scope = manager.newSubManager()) {
            Path weights = InitFrom.weightsFile(from);
            copy(InitFrom.isSafetensors(weights) ? safetensors(weights, network, scope)
                    : described(from, scope), network);
        }
    }

    /**
     * Weights to start from.
     *
     * @param origin what they are, for the log
     * @param tensors the arrays by this project's parameter names
     * @param classes the class count of their classifier
     */
    private record Source(String origin, Map<String, NDArray> tensors, int classes) {}

    /** A run folder's or a DJL export's weights, which say what network they belong to. */
    private Source described(Path from, NDManager manager) {
        ExportedModel description;
        Block network;
        if (Files.isRegularFile(from.resolve(RunFolder.RUN_JSON))) {
            RunFolder run = RunFolder.open(from);
            description = ExportedModel.of(run.record().runId(), run.record().configHash(),
                    run.record().result());
            network = Checkpoint.load(description.networkConfig(),
                    description.newNetwork(manager), run.weights(), manager);
        } else {
            description = exported(from);
            network = exportedNetwork(from, description, manager);
        }
        if (!description.architecture().equals(config.architecture())
                || !description.size().equals(config.size())) {
            throw new InvalidDataException("initFrom = " + from + " holds the weights of "
                    + description.architecture() + "-" + description.size()
                    + "; this run trains " + config.architecture() + "-" + config.size());
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            tensors.put(p.getKey(), p.getValue().getArray());
        }
        return new Source(description.architecture() + "-" + description.size() + ", run "
                + description.runId(), tensors, description.classNames().size());
    }

    private static Block exportedNetwork(Path from, ExportedModel description,
            NDManager manager) {
        Block composite = description.newExportedBlock(manager);
        try (Model model = Model.newInstance(ExportedModel.MODEL_NAME, Device.cpu(),
                Engines.pytorch().getEngineName())) {
            model.setBlock(composite);
            model.load(from, ExportedModel.MODEL_NAME);
            Block network = ExportedModel.network(composite);
            // The loaded arrays belong to the model, closed below: keep copies.
            for (Pair<String, Parameter> p : network.getParameters()) {
                p.getValue().getArray().attach(manager);
            }
            return network;
        } catch (IOException | MalformedModelException e) {
            throw new InvalidDataException("initFrom = " + from + ": cannot read its weights: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A safetensors file's tensors, under this project's names or timm's: the file says
     * nothing else of its network, so its names and shapes must match this run's.
     */
    private Source safetensors(Path file, Block network, NDManager manager) {
        NDList decoded;
        try (InputStream in = Files.newInputStream(file)) {
            decoded = NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidDataException("initFrom = " + file + ": not a readable safetensors"
                    + " file: " + e.getMessage(), e);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        decoded.forEach(array -> byName.put(array.getName(), array));
        List<String> ours = network.getParameters().keys();
        Map<String, String> names = new LinkedHashMap<>();
        TimmCounterpart timm = Training.timm(config, shape, classes);
        String naming = "";
        if (byName.keySet().containsAll(ours)) {
            ours.forEach(name -> names.put(name, name));
            naming = "cosub's names";
        } else if (timm instanceof TimmCounterpart.Mapped mapped) {
            names.putAll(mapped.byProjectName(network));
            naming = "timm's names for " + mapped.name();
        }
        // With neither naming, every parameter is missing.
        List<String> missing = names.isEmpty() ? ours : names.values().stream()
                .filter(name -> !byName.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidDataException("initFrom = " + file + ": its tensors are not those"
                    + " of " + config.architecture() + "-" + config.size() + " under cosub's or"
                    + " timm's names: missing " + first(missing) + " (it has "
                    + first(List.copyOf(byName.keySet())) + ")");
        }
        List<String> unused = byName.keySet().stream()
                .filter(name -> !names.containsValue(name)).toList();
        if (!unused.isEmpty()) {
            throw new InvalidDataException("initFrom = " + file + " has tensors that "
                    + config.architecture() + "-" + config.size() + " does not: "
                    + first(unused));
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        names.forEach((ourName, fileName) -> tensors.put(ourName, byName.get(fileName)));
        NDArray classifier = tensors.get(ours.get(ours.size() - 1));
        return new Source(file.getFileName() + ", " + naming, tensors,
                (int) classifier.getShape().get(0));
    }

    private static String first(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3)
                        + " more";
    }

    /** The description in an exported folder's {@code serving.properties}. */
    private static ExportedModel exported(Path folder) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(folder.resolve("serving.properties"),
                StandardCharsets.UTF_8)) {
            properties.load(in);
            Map<String, String> arguments = new HashMap<>();
            properties.stringPropertyNames().forEach(key ->
                    arguments.put(key, properties.getProperty(key)));
            return ExportedModel.parse(arguments, Files.readAllLines(folder.resolve("synset.txt"),
                    StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList());
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidDataException("initFrom = " + folder + ": not a model folder"
                    + " written by cosub export: " + e.getMessage(), e);
        }
    }

    private void copy(Source source, Block network) {
        PairList<String, Parameter> to = network.getParameters();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < to.size(); i++) {
            String name = to.get(i).getKey();
            NDArray have = source.tensors().get(name);
            if (have == null) {
                throw new InvalidDataException("initFrom = " + config.initFrom() + " has no"
                        + " parameter " + name);
            }
            NDArray want = to.get(i).getValue().getArray();
            if (have.getShape().equals(want.getShape())) {
                have.toType(want.getDataType(), false).copyTo(want);
            } else if (source.classes() != classes
                    && isClassifier(have, want, source.classes())) {
                fresh.add(name + " " + have.getShape() + " -> " + want.getShape());
            } else {
                throw new InvalidDataException("initFrom = " + config.initFrom()
                        + ": parameter " + name + " has shape " + have.getShape()
                        + " there and " + want.getShape() + " here (" + config.architecture()
                        + "-" + config.size() + " for this run's data)");
            }
        }
        log.accept("initFrom: started from " + config.initFrom() + " (" + source.origin()
                + ", SHA-256 " + config.initFromSha256().substring(0, 12) + "...)"
                + (fresh.isEmpty() ? "" : "; its classifier has " + source.classes()
                        + " classes and this run " + classes + ": initialised afresh ("
                        + String.join(", ", fresh) + ")"));
    }

    /** A classifier's weight or bias: its first dimension is the class count, the rest agree. */
    private boolean isClassifier(NDArray have, NDArray want, int sourceClasses) {
        return have.getShape().dimension() == want.getShape().dimension()
                && have.getShape().get(0) == sourceClasses && want.getShape().get(0) == classes
                && have.getShape().slice(1).equals(want.getShape().slice(1));
    }
}
