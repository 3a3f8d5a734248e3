package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Scalars;

/**
 * XCiT's class-attention block on tokens (B, 1 + N, C), as timm's reference defines it (with
 * {@code tokens_norm} off, its default). Unlike CaiT's, it also moves the patch tokens:
 *
 * <ol>
 *   <li>all tokens are normalised (norm1); the class token's query attends to every token;
 *   <li>every token gets LayerScale of [attention output, normalised patch tokens] added;
 *   <li>the class token is replaced by its normalised self (norm2) and gets its MLP residual,
 *       with LayerScale, from there; the patch tokens are added to themselves.
 * </ol>
 *
 * It carries no drop-path: it summarises the image rather than transforming it.
 */
public final class ClassAttentionBlock extends AbstractBlock implements Flops.Counted {

    private static final byte VERSION = 1;

    private final int heads;
    private final LayerNorm attentionNorm;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear projection;
    private final LayerScale attentionScale;
    private final LayerNorm mlpNorm;
    private final Block mlp;
    private final LayerScale mlpScale;

    public ClassAttentionBlock(int dim, int heads, int mlpRatio, float layerScale) {
        super(VERSION);
        Layers.requireHeads(dim, heads);
        this.heads = heads;
        attentionNorm = addChildBlock("attention_norm", Layers.tokenNorm());
        query = addChildBlock("query", Linear.builder().setUnits(dim).build());
        key = addChildBlock("key", Linear.builder().setUnits(dim).build());
        value = addChildBlock("value", Linear.builder().setUnits(dim).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        attentionScale = addChildBlock("attention_scale", new LayerScale(layerScale));
        mlpNorm = addChildBlock("mlp_norm", Layers.tokenNorm());
        mlp = addChildBlock("mlp", Layers.mlp(dim, dim * mlpRatio));
        mlpScale = addChildBlock("mlp_scale", new LayerScale(layerScale));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long dim = x.getShape().get(2);
        long headDim = dim / heads;
        NDArray all = attentionNorm.forward(ps, inputs, training).singletonOrThrow();
        // Splits, not slices: a slice's gradient is a zero-filled array of the whole input.
        NDList allParts = all.split(new long[] {1}, 1);
        NDArray q = Scalars.times(forward(query, ps, allParts.get(0), training)
                .reshape(batch, 1, heads, headDim).transpose(0, 2, 1, 3),
                1.0 / Math.sqrt(headDim));
        NDArray k = forward(key, ps, all, training)
                .reshape(batch, tokens, heads, headDim).transpose(0, 2, 1, 3);
        NDArray v = forward(value, ps, all, training)
                .reshape(batch, tokens, heads, headDim).transpose(0, 2, 1, 3);
        NDArray attended = q.matMul(k.swapAxes(2, 3)).softmax(3).matMul(v)
                .transpose(0, 2, 1, 3).reshape(batch, 1, dim);
        NDArray update = forward(projection, ps, attended, training)
                .concat(allParts.get(1), 1);
        NDArray mixed = x.add(forward(attentionScale, ps, update, training));
        NDList mixedParts = mixed.split(new long[] {1}, 1);
        NDArray cls = forward(mlpNorm, ps, mixedParts.get(0), training);
        NDArray patches = mixedParts.get(1);
        NDArray mlpOut = forward(mlp, ps, cls, training);
        return new NDList(cls.add(forward(mlpScale, ps, mlpOut, training))
                .concat(patches.add(patches), 1));
    }

    private static NDArray forward(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Its layers were initialised with the shapes they see; the query is the class token. */
    @Override
    public long forwardFlops() {
        Shape x = getInputShapes()[0];
        long layers = getChildren().values().stream().mapToLong(Flops::of).sum();
        return layers + Flops.attention(x.get(0), 1, x.get(1), x.get(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape cls = new Shape(x.get(0), 1, x.get(2));
        attentionNorm.initialize(manager, dataType, x);
        query.initialize(manager, dataType, cls);
        key.initialize(manager, dataType, x);
        value.initialize(manager, dataType, x);
        projection.initialize(manager, dataType, cls);
        attentionScale.initialize(manager, dataType, x);
        mlpNorm.initialize(manager, dataType, cls);
        mlp.initialize(manager, dataType, cls);
        mlpScale.initialize(manager, dataType, cls);
    }
}
