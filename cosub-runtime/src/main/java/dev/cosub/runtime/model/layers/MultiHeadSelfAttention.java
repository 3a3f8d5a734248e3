package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Scalars;

/** Multi-head self-attention over tokens (B, N, C), with a biased qkv projection. */
public final class MultiHeadSelfAttention extends AbstractBlock implements Flops.Counted {

    private static final byte VERSION = 1;

    private final int heads;
    private final Linear qkv;
    private final Linear projection;

    public MultiHeadSelfAttention(int dim, int heads) {
        super(VERSION);
        Layers.requireHeads(dim, heads);
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        this.projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long tokens = shape.get(1);
        long dim = shape.get(2);
        long headDim = dim / heads;
        // (B, N, 3C) -> three (B, heads, N, headDim)
        NDList qkvSplit = Layers.queriesKeysValues(
                qkv.forward(parameterStore, inputs, training).singletonOrThrow(), heads);
        // Scaling the queries, not their products with the keys: N x d values, not N x N.
        NDArray q = Scalars.times(qkvSplit.get(0).transpose(0, 2, 1, 3),
                1.0 / Math.sqrt(headDim));
        NDArray k = qkvSplit.get(1).transpose(0, 2, 1, 3);
        NDArray v = qkvSplit.get(2).transpose(0, 2, 1, 3);
        NDArray attention = q.matMul(k.swapAxes(2, 3)).softmax(3);
        NDArray mixed = attention.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, dim);
        return projection.forward(parameterStore, new NDList(mixed), training);
    }

    @Override
    public long forwardFlops() {
        Shape x = getInputShapes()[0];
        return Flops.of(qkv) + Flops.of(projection)
                + Flops.attention(x.get(0), x.get(1), x.get(1), x.get(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        projection.initialize(manager, dataType, inputShapes);
    }
}
