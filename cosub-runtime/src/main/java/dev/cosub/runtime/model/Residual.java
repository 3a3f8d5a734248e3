package dev.cosub.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code x + dropPath(branch(x))}: a residual branch that stochastic depth can switch off. */
public final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block branch;
    private final float dropRate;

    public Residual(Block branch, float dropRate) {
        super(VERSION);
        DropPath.checkRate(dropRate);
        this.branch = addChildBlock("branch", branch);
        this.dropRate = dropRate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray out = branch.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(x.add(DropPath.apply(out, dropRate, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes);
    }
}
