package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * XCiT's positional encoding for a (B, C, H, W) map: fixed sines and cosines of each position's
 * normalised row and column at geometrically spaced frequencies, projected to C channels by a
 * learned 1x1 convolution and added to the map.
 */
public final class FourierPositions extends AbstractBlock implements Flops.Counted {

    private static final byte VERSION = 1;
    /** Frequencies per coordinate. */
    static final int FEATURES = 32;
    private static final double TEMPERATURE = 10_000;

    private final Conv2d projection;
    private final Parameter features;

    public FourierPositions(int dim) {
        super(VERSION);
        projection = addChildBlock("projection", Layers.conv(dim, 1, 1, 0, 1, true));
        features = addParameter(Layers.constant("fourier_features", null,
                (manager, shape) -> manager.create(
                        encoding((int) shape.get(2), (int) shape.get(3)), shape)));
    }

    /** The fixed encoding (1, 2 * FEATURES, height, width): row features, then column ones. */
    static float[] encoding(int height, int width) {
        float[] out = new float[2 * FEATURES * height * width];
        for (int f = 0; f < 2 * FEATURES; f++) {
            boolean row = f < FEATURES;
            int i = f % FEATURES;
            double frequency = Math.pow(TEMPERATURE, 2.0 * (i / 2) / FEATURES);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    // Positions 1..n scaled to (0, 2*pi].
                    double position = row
                            ? 2 * Math.PI * (y + 1) / height
                            : 2 * Math.PI * (x + 1) / width;
                    double angle = position / frequency;
                    out[(f * height + y) * width + x] =
                            (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
                }
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray fixed = parameterStore.getValue(features, x.getDevice(), training);
        NDArray positions = projection.forward(parameterStore, new NDList(fixed), training)
                .singletonOrThrow();
        return new NDList(x.add(positions));
    }

    /** The positions are computed once per batch, whatever its size: nothing per image. */
    @Override
    public long forwardFlops() {
        return 0;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        features.setShape(new Shape(1, 2 * FEATURES, x.get(2), x.get(3)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        projection.initialize(manager, dataType, new Shape(1, 2 * FEATURES, x.get(2), x.get(3)));
    }
}
