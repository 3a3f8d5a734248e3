package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * XCiT's cross-covariance attention on tokens (B, N, C): per head, queries and keys are
 * L2-normalised along the token axis, their d x d cross-covariance (scaled by a learned
 * temperature) is softmaxed over channels and mixes the channels of the values. The cost is
 * linear in the number of tokens.
 */
public final class CrossCovarianceAttention extends AbstractBlock implements Flops.Counted {

    private static final byte VERSION = 1;

    private final int heads;
    private final Linear qkv;
    private final Linear projection;
    private final Parameter temperature;

    public CrossCovarianceAttention(int dim, int heads) {
        super(VERSION);
        Layers.requireHeads(dim, heads);
        this.heads = heads;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        temperature = addParameter(Parameter.builder()
                .setName("temperature")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(1f))
                .optShape(new Shape(heads, 1, 1))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long dim = x.getShape().get(2);
        // (B, N, 3C) -> three (B, heads, d, N): channels of a head as rows, tokens as columns.
        NDList qkvSplit = Layers.queriesKeysValues(
                qkv.forward(parameterStore, inputs, training).singletonOrThrow(), heads);
        NDArray q = qkvSplit.get(0).transpose(0, 2, 3, 1).normalize(2, 3, 1e-12);
        NDArray k = qkvSplit.get(1).transpose(0, 2, 3, 1).normalize(2, 3, 1e-12);
        NDArray covariance = q.matMul(k.swapAxes(2, 3))
                .mul(parameterStore.getValue(temperature, x.getDevice(), training));
        NDArray mixed = covariance.softmax(3).matMul(qkvSplit.get(2).transpose(0, 2, 3, 1))
                .transpose(0, 3, 1, 2)
                .reshape(batch, tokens, dim);
        return projection.forward(parameterStore, new NDList(mixed), training);
    }

    /** The products are d x d per head (d = width / heads), each summing over the tokens. */
    @Override
    public long forwardFlops() {
        Shape x = getInputShapes()[0];
        long headDim = x.get(2) / heads;
        return Flops.of(qkv) + Flops.of(projection)
                + Flops.attention(x.get(0), headDim, x.get(1), x.get(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        projection.initialize(manager, dataType, inputShapes);
    }
}
