package dev.cosub.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code shortcut(x) + dropPath(branch(x))}: a residual branch that stochastic depth can switch
 * off. The shortcut is the identity unless the branch changes the shape.
 */
public final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block branch;
    private final Block shortcut;
    private final float dropRate;

    /** {@code x + dropPath(branch(x))}. */
    public Residual(Block branch, float dropRate) {
        this(branch, null, dropRate);
    }

    /**
     * @param shortcut projects {@code x} to the branch's output shape, or {@code null} for the
     *     identity
     */
    public Residual(Block branch, Block shortcut, float dropRate) {
        super(VERSION);
        DropPath.checkRate(dropRate);
        this.branch = addChildBlock("branch", branch);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
        this.dropRate = dropRate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = shortcut == null
                ? inputs.singletonOrThrow()
                : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray out = branch.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(x.add(DropPath.apply(out, dropRate, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return shortcut == null ? inputShapes : branch.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
