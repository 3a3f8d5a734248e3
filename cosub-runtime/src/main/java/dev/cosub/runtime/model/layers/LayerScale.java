package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.cosub.runtime.model.ConvNeXt;

/**
 * Multiplies each channel of the last axis by a learned factor that starts small, so that a
 * deep residual network starts close to the identity (CaiT, ConvNeXt, XCiT).
 *
 * <p>The factors are {@link Parameter.Type#GAMMA}, which the optimizer excludes from weight
 * decay like other per-channel scales.
 */
public final class LayerScale extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter scale;

    /** @param initialValue every factor's starting value, e.g. 1e-6 */
    public LayerScale(float initialValue) {
        super(VERSION);
        scale = addParameter(Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.GAMMA)
                .optInitializer(new ConstantInitializer(initialValue))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.mul(parameterStore.getValue(scale, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        scale.setShape(new Shape(input.get(input.dimension() - 1)));
    }
}
