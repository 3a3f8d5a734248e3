package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Adds a learned embedding of the input's shape without its batch axis, e.g. a 2-D position
 * embedding (1, C, H, W) to a feature map. {@link Parameter.Type#OTHER}: not weight-decayed.
 */
public final class LearnedPositions extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter positions;

    public LearnedPositions() {
        super(VERSION);
        positions = addParameter(Parameter.builder()
                .setName("positions")
                .setType(Parameter.Type.OTHER)
                .optInitializer(WeightInit.truncatedNormal(0.02f))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.add(parameterStore.getValue(positions, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        positions.setShape(new Shape(1).addAll(inputShapes[0].slice(1)));
    }
}
