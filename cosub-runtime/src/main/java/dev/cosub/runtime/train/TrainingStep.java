package dev.cosub.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * One optimisation step of either method: forward the method's input in training mode, take its
 * loss, back-propagate, clip the global gradient norm, update every parameter. The training loop
 * and the benchmarks share it, so what is measured is what trains.
 */
public final class TrainingStep {

    private final RunConfig config;
    private final Block network;
    private final ParameterStore store;
    private final DecoupledAdamW optimizer;
    private final List<Parameter> trainable;

    /**
     * Sets up AdamW with decoupled weight decay on the network's weights.
     *
     * @param learningRate the learning rate per update
     * @param manager the manager of the network's parameters, on their device
     */
    public TrainingStep(RunConfig config, Block network, Tracker learningRate,
            NDManager manager) {
        this.config = config;
        this.network = network;
        this.store = new ParameterStore(manager, false);
        this.optimizer = DecoupledAdamW.forNetwork(network, learningRate, config.weightDecay());
        store.setParameterServer(new LocalParameterServer(optimizer),
                new Device[] {manager.getDevice()});
        this.trainable = network.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    /** The optimizer, whose state a resumable checkpoint keeps. */
    public DecoupledAdamW optimizer() {
        return optimizer;
    }

    /**
     * Runs one step on a batch.
     *
     * @param images (B, C, H, W), in a manager that is closed after the step
     * @param targets one-hot labels (B, classes)
     * @return the step's loss, detached from the graph, still on the device
     */
    public NDArray run(NDArray images, NDArray targets) {
        NDArray loss = loss(images, targets, true);
        if (config.gradientClipNorm() > 0) {
            GradientClipping.clip(trainable, config.gradientClipNorm(), images.getManager());
        }
        store.updateAllParameters();
        return loss;
    }

    /**
     * The first part of a step: the forward pass in training mode and the loss, and the
     * gradients when {@code backPropagate}; nothing is updated. The benchmarks time the parts.
     *
     * @return the loss, detached from the graph, still on the device
     */
    public NDArray loss(NDArray images, NDArray targets, boolean backPropagate) {
        NDArray loss;
        try (GradientCollector collector = images.getManager().getEngine().newGradientCollector()) {
            NDArray logits = network.forward(store,
                    new NDList(config.method().networkInput(images)), true).singletonOrThrow();
            loss = config.method().loss(logits, targets, config.criterion(), config.lambda());
            if (backPropagate) {
                collector.backward(loss);
            }
        }
        return loss.stopGradient();
    }
}
