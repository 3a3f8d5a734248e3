package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code shortcut(x) + dropPath(branch(x))}: a residual branch that stochastic depth can switch
 * off. The shortcut is the identity unless the branch changes the shape.
 *
 * <p>In {@link DropPathMode#EFFICIENT} mode the branch runs on the kept rows only and its
 * output, scaled by 1/(1 - rate), is added back at their positions: the same function as
 * {@link DropPathMode#MASK} for the same draws, at a fraction of the branch's cost. A branch that
 * holds BatchNorm always runs every row, so that its batch statistics do not change with the
 * mode.
 */
public final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block branch;
    private final Block shortcut;
    private final float dropRate;
    private final boolean branchHoldsBatchNorm;
    private DropPathMode mode = DropPathMode.MASK;
    private boolean submodelInInference;

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
        this.branchHoldsBatchNorm = holdsBatchNorm(branch);
    }

    /**
     * Sets the drop-path mode of every residual block in {@code network}.
     *
     * @return how many of them hold BatchNorm and therefore keep computing every row
     */
    public static int setMode(Block network, DropPathMode mode) {
        int batchNormBranches = 0;
        if (network instanceof Residual residual) {
            residual.mode = mode;
            batchNormBranches += residual.branchHoldsBatchNorm ? 1 : 0;
        }
        for (Block child : network.getChildren().values()) {
            batchNormBranches += setMode(child, mode);
        }
        return batchNormBranches;
    }

    /**
     * Makes every residual block of {@code network} draw its drop-path in inference too, at its
     * training rate, while everything else (normalisation, attention) stays in inference mode:
     * each forward pass is then one random submodel, as cosub's training sees them.
     */
    public static void sampleSubmodels(Block network, boolean sample) {
        if (network instanceof Residual residual) {
            residual.submodelInInference = sample;
        }
        for (Block child : network.getChildren().values()) {
            sampleSubmodels(child, sample);
        }
    }

    /**
     * The drop-path rate of every residual block of {@code network}, in the order of the
     * forward pass: what training applies, whatever the configuration asked for.
     */
    public static List<Float> dropRates(Block network) {
        List<Float> rates = new ArrayList<>();
        collectRates(network, rates);
        return rates;
    }

    private static void collectRates(Block block, List<Float> rates) {
        if (block instanceof Residual residual) {
            rates.add(residual.dropRate);
        }
        for (Block child : block.getChildren().values()) {
            collectRates(child, rates);
        }
    }

    /** The drop probability of this branch in training. */
    public float dropRate() {
        return dropRate;
    }

    private static boolean holdsBatchNorm(Block block) {
        return block instanceof BatchNorm
                || block.getChildren().values().stream().anyMatch(Residual::holdsBatchNorm);
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
        boolean drop = training || submodelInInference;
        if (drop && dropRate > 0f && mode == DropPathMode.EFFICIENT && !branchHoldsBatchNorm) {
            return new NDList(keptRowsOnly(parameterStore, inputs.singletonOrThrow(), x,
                    training, params));
        }
        NDArray out = branch.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(x.add(DropPath.apply(out, dropRate, drop)));
    }

    /** {@code x} plus the branch's scaled output on the kept rows, written at their places. */
    private NDArray keptRowsOnly(ParameterStore parameterStore, NDArray input, NDArray x,
            boolean training, PairList<String, Object> params) {
        NDArray keptRows = DropPath.keepMask(input, dropRate).nonzero().squeeze(1);
        if (keptRows.getShape().get(0) == 0) {
            return x;
        }
        NDIndex kept = new NDIndex("{}", keptRows);
        NDArray out = Scalars.times(branch.forward(parameterStore,
                new NDList(input.get(kept)), training, params).singletonOrThrow(),
                1.0 / (1.0 - dropRate));
        NDArray added = x.zerosLike();
        added.set(kept, out);
        return x.add(added);
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
