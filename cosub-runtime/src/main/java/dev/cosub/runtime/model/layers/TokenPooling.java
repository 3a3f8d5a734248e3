package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PiT's pooling layer on tokens (B, 1 + H*W, C): a depthwise 3x3 stride-2 convolution halves the
 * patch grid and doubles the width, and a linear layer widens the class token to match.
 */
public final class TokenPooling extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int height;
    private final int width;
    private final int outputDim;
    private final Conv2d spatial;
    private final Linear classToken;

    /**
     * @param height rows of the incoming patch grid
     * @param width columns of the incoming patch grid
     * @param dim incoming width; the output has twice as many channels
     */
    public TokenPooling(int height, int width, int dim) {
        super(VERSION);
        this.height = height;
        this.width = width;
        this.outputDim = 2 * dim;
        // Kernel stride + 1 = 3, each input channel feeds two output channels.
        spatial = addChildBlock("spatial", Layers.conv(outputDim, 3, 2, 1, dim, true));
        classToken = addChildBlock("class_token", Linear.builder().setUnits(outputDim).build());
    }

    /** The side of a grid of {@code side} patches after pooling. */
    public static int pooledSide(int side) {
        return (side - 1) / 2 + 1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        long batch = tokens.getShape().get(0);
        long dim = tokens.getShape().get(2);
        NDArray cls = tokens.get(":, :1, :");
        // Flattened first: a copy in the standard layout. For one image the view would pass as
        // channels-last, and libtorch's channels-last depthwise convolution then misreads the
        // patches behind the class token on some CPUs (an AMD EPYC gave other outputs for a
        // batch of one than for the same image in a batch of eight).
        NDArray grid = tokens.get(":, 1:, :").transpose(0, 2, 1).reshape(-1)
                .reshape(batch, dim, height, width);
        NDArray pooled = spatial.forward(parameterStore, new NDList(grid), training)
                .singletonOrThrow();
        NDArray patches = pooled.reshape(batch, outputDim, -1).transpose(0, 2, 1);
        NDArray widened = classToken.forward(parameterStore, new NDList(cls), training)
                .singletonOrThrow();
        return new NDList(widened.concat(patches, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long patches = (long) pooledSide(height) * pooledSide(width);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1 + patches, outputDim)};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape tokens = inputShapes[0];
        if (tokens.dimension() != 3 || tokens.get(1) != 1L + (long) height * width) {
            throw new IllegalArgumentException("token pooling for a " + height + "x" + width
                    + " grid expects (B, " + (1 + height * width) + ", C) tokens, got " + tokens);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        spatial.initialize(manager, dataType, new Shape(tokens.get(0), tokens.get(2), height, width));
        classToken.initialize(manager, dataType, new Shape(tokens.get(0), 1, tokens.get(2)));
    }
}
