package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Prepends a learned class token to (B, N, C) patch tokens and, for ViT, adds a learned position
 * embedding to all N + 1 tokens (architectures that place patches otherwise go without).
 *
 * <p>Both are {@link Parameter.Type#OTHER}, which the optimizer excludes from weight decay.
 */
public final class ClassTokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float INIT_STD = 0.02f;

    private final Parameter classToken;
    private final Parameter positions;

    /** @param withPositions whether to add a learned position embedding to every token */
    public ClassTokenEmbedding(boolean withPositions) {
        super(VERSION);
        classToken =
                addParameter(
                        Parameter.builder()
                                .setName("class_token")
                                .setType(Parameter.Type.OTHER)
                                .optInitializer(WeightInit.truncatedNormal(INIT_STD))
                                .build());
        positions = !withPositions ? null :
                addParameter(
                        Parameter.builder()
                                .setName("position_embedding")
                                .setType(Parameter.Type.OTHER)
                                .optInitializer(WeightInit.truncatedNormal(INIT_STD))
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray patches = inputs.singletonOrThrow();
        Shape shape = patches.getShape();
        NDArray token = parameterStore.getValue(classToken, patches.getDevice(), training);
        NDArray classTokens = token.broadcast(shape.get(0), 1, shape.get(2));
        // A result belongs to its first operand's manager: keep this per-batch array out of the
        // parameters' manager so it is freed with the batch.
        classTokens.attach(patches.getManager());
        NDArray tokens = classTokens.concat(patches, 1);
        if (positions == null) {
            return new NDList(tokens);
        }
        return new NDList(tokens.add(parameterStore.getValue(positions, patches.getDevice(),
                training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape patches = inputShapes[0];
        return new Shape[] {new Shape(patches.get(0), patches.get(1) + 1, patches.get(2))};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape patches = inputShapes[0];
        classToken.setShape(new Shape(1, 1, patches.get(2)));
        if (positions != null) {
            positions.setShape(new Shape(1, patches.get(1) + 1, patches.get(2)));
        }
    }
}
