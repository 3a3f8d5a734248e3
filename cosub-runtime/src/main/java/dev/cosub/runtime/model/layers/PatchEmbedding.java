package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Cuts an image (B, C, H, W) into non-overlapping patches and projects each to a token: a
 * convolution whose kernel and stride are the patch size, flattened to (B, N, dim).
 */
public final class PatchEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int patch;
    private final int dim;
    private final Conv2d projection;

    public PatchEmbedding(int patch, int dim) {
        super(VERSION);
        this.patch = patch;
        this.dim = dim;
        this.projection =
                addChildBlock(
                        "projection",
                        Conv2d.builder()
                                .setKernelShape(new Shape(patch, patch))
                                .optStride(new Shape(patch, patch))
                                .setFilters(dim)
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray grid = projection.forward(parameterStore, inputs, training).singletonOrThrow();
        Shape shape = grid.getShape();
        NDArray tokens =
                grid.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3))
                        .transpose(0, 2, 1);
        return new NDList(tokens);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape image = inputShapes[0];
        return new Shape[] {new Shape(image.get(0), tokenCount(image), dim)};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        tokenCount(inputShapes[0]);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes);
    }

    private long tokenCount(Shape image) {
        if (image.dimension() != 4 || image.get(2) % patch != 0 || image.get(3) % patch != 0) {
            throw new IllegalArgumentException(
                    "patch embedding expects images (B, C, H, W) with H and W multiples of "
                            + patch
                            + ", got "
                            + image);
        }
        return (image.get(2) / patch) * (image.get(3) / patch);
    }
}
