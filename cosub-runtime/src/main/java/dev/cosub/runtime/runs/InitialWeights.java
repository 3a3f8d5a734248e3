package dev.cosub.runtime.runs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.train.InitFrom;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Starts a run from the weights of its {@code initFrom}, a run folder or an exported model
 * folder: every parameter is copied by name, except a classifier whose class count differs,
 * which keeps its fresh initialisation; any other shape that differs is refused.
 */
public final class InitialWeights implements Training.StartingWeights {

    private final RunConfig config;
    private final int classes;
    private final Consumer<String> log;

    /**
     * @param config the run's configuration, whose {@code initFrom} is set
     * @param classes the run's class count
     */
    public InitialWeights(RunConfig config, int classes, Consumer<String> log) {
        this.config = config;
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
            Source source = load(from, scope);
            if (!source.description().architecture().equals(config.architecture())
                    || !source.description().size().equals(config.size())) {
                throw new InvalidDataException("initFrom = " + from + " holds the weights of "
                        + source.description().architecture() + "-" + source.description().size()
                        + "; this run trains " + config.architecture() + "-" + config.size());
            }
            copy(source, network);
        }
    }

    /** The source's weights with what describes them. */
    private record Source(ExportedModel description, Block network) {}

    private Source load(Path from, NDManager manager) {
        if (Files.isRegularFile(from.resolve(RunFolder.RUN_JSON))) {
            RunFolder run = RunFolder.open(from);
            ExportedModel description = ExportedModel.of(run.record().runId(),
                    run.record().configHash(), run.record().result());
            return new Source(description, Checkpoint.load(description.networkConfig(),
                    description.newNetwork(manager), run.weights(), manager));
        }
        ExportedModel description = exported(from);
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
            return new Source(description, network);
        } catch (IOException | MalformedModelException e) {
            throw new InvalidDataException("initFrom = " + from + ": cannot read its weights: "
                    + e.getMessage(), e);
        }
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
        PairList<String, Parameter> from = source.network().getParameters();
        PairList<String, Parameter> to = network.getParameters();
        int sourceClasses = source.description().classNames().size();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < to.size(); i++) {
            String name = to.get(i).getKey();
            Parameter target = to.get(i).getValue();
            Parameter weights = from.get(name);
            if (weights == null) {
                throw new InvalidDataException("initFrom = " + config.initFrom() + " has no"
                        + " parameter " + name);
            }
            NDArray have = weights.getArray();
            NDArray want = target.getArray();
            if (have.getShape().equals(want.getShape())) {
                have.copyTo(want);
            } else if (sourceClasses != classes && isClassifier(have, want, sourceClasses)) {
                fresh.add(name + " " + have.getShape() + " -> " + want.getShape());
            } else {
                throw new InvalidDataException("initFrom = " + config.initFrom()
                        + ": parameter " + name + " has shape " + have.getShape()
                        + " there and " + want.getShape() + " here (" + source.description()
                        .shape() + " images there, " + config.architecture() + "-"
                        + config.size() + " for this run's data here)");
            }
        }
        log.accept("initFrom: started from " + config.initFrom() + " ("
                + source.description().architecture() + "-" + source.description().size()
                + ", run " + source.description().runId() + ", SHA-256 "
                + config.initFromSha256().substring(0, 12) + "...)"
                + (fresh.isEmpty() ? "" : "; its classifier has " + sourceClasses
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
