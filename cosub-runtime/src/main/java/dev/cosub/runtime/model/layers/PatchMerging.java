package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Swin's downsampling between stages on (B, H, W, C): each 2x2 neighbourhood is concatenated
 * into 4C channels, normalised and projected to 2C without bias. Odd sides are zero-padded.
 */
public final class PatchMerging extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SequentialBlock reduction;

    public PatchMerging(int dim) {
        super(VERSION);
        reduction = addChildBlock("reduction", new SequentialBlock()
                .add(Layers.lastAxisNorm(4))
                .add(Linear.builder().setUnits(2L * dim).optBias(false).build()));
    }

    /** The side of a map of {@code side} after merging. */
    public static int mergedSide(int side) {
        return (side + 1) / 2;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = WindowAttention.padTo(x, 2 * mergedSide((int) x.getShape().get(1)), 1);
        x = WindowAttention.padTo(x, 2 * mergedSide((int) x.getShape().get(2)), 2);
        NDArray merged = x.get(new NDIndex(":, 0::2, 0::2, :"))
                .concat(x.get(new NDIndex(":, 1::2, 0::2, :")), 3)
                .concat(x.get(new NDIndex(":, 0::2, 1::2, :")), 3)
                .concat(x.get(new NDIndex(":, 1::2, 1::2, :")), 3);
        return reduction.forward(parameterStore, new NDList(merged), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), mergedSide((int) x.get(1)),
                mergedSide((int) x.get(2)), 2 * x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        reduction.initialize(manager, dataType, new Shape(x.get(0), mergedSide((int) x.get(1)),
                mergedSide((int) x.get(2)), 4 * x.get(3)));
    }
}
