package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Scalars;

/**
 * Squeeze-and-excitation on (B, C, H, W): the channels' global averages pass through a
 * bottleneck of {@code reduced} units and a sigmoid, and the result gates each channel.
 */
public final class SqueezeExcitation extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block gate;

    public SqueezeExcitation(int channels, int reduced) {
        super(VERSION);
        gate = addChildBlock("gate", new SequentialBlock()
                .add(Layers.conv(reduced, 1, 1, 0, 1, true))
                .add(Activation::relu)
                .add(Layers.conv(channels, 1, 1, 0, 1, true))
                .add(Activation::sigmoid));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        // The engine refuses a mean over two axes at once: sum, then divide.
        NDArray squeezed = Scalars.times(x.sum(new int[] {2, 3}, true),
                1.0 / (shape.get(2) * shape.get(3)));
        NDArray weights = gate.forward(parameterStore, new NDList(squeezed), training, params)
                .singletonOrThrow();
        return new NDList(x.mul(weights));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        gate.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 1, 1));
    }
}
