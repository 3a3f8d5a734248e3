package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cosub.runtime.engine.Scalars;

/**
 * Swin's (shifted) window attention on a channels-last feature map (B, H, W, C): the map is
 * padded to whole windows, optionally rolled by half a window, cut into non-overlapping windows
 * in which tokens attend to each other with a learned relative position bias, then put back.
 * After a shift, tokens that were not neighbours in the original map are masked from each other.
 */
public final class WindowAttention extends AbstractBlock implements Flops.Counted {

    private static final byte VERSION = 1;
    /** Added to the logits of token pairs from different regions: softmax gives them ~0. */
    static final float MASKED = -100f;

    private final int height;
    private final int width;
    private final int window;
    private final int shift;
    private final int heads;
    private final int paddedHeight;
    private final int paddedWidth;
    private final Linear qkv;
    private final Linear projection;
    private final Parameter biasTable;
    private final Parameter relativeIndex;
    private final Parameter mask;

    /**
     * @param height rows of the feature map
     * @param width columns of the feature map
     * @param dim channels
     * @param heads attention heads
     * @param window window side; a map no larger than it is one window, unshifted
     * @param shifted whether this block shifts the windows by half their side
     */
    public WindowAttention(int height, int width, int dim, int heads, int window,
            boolean shifted) {
        super(VERSION);
        Layers.requireHeads(dim, heads);
        this.height = height;
        this.width = width;
        this.window = Math.min(window, Math.min(height, width));
        this.shift = shifted && window < Math.min(height, width) ? this.window / 2 : 0;
        this.heads = heads;
        this.paddedHeight = ceilToMultiple(height, this.window);
        this.paddedWidth = ceilToMultiple(width, this.window);
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        biasTable = addParameter(Parameter.builder()
                .setName("relative_position_bias")
                .setType(Parameter.Type.OTHER)
                .optInitializer(WeightInit.truncatedNormal(0.02f))
                .optShape(new Shape((2L * this.window - 1) * (2L * this.window - 1), heads))
                .build());
        int tokens = this.window * this.window;
        int w = this.window;
        relativeIndex = addParameter(Layers.constant("relative_position_index",
                new Shape((long) tokens * tokens),
                (manager, shape) -> manager.create(relativePositionIndex(w))));
        int windows = (paddedHeight / w) * (paddedWidth / w);
        mask = shift == 0 ? null : addParameter(Layers.constant("shift_mask",
                new Shape(windows, 1, tokens, tokens),
                (manager, shape) -> manager.create(
                        shiftMask(paddedHeight, paddedWidth, w, shift), shape)));
    }

    /** The window side actually used. */
    public int window() {
        return window;
    }

    /** The cyclic shift actually used, 0 for none. */
    public int shift() {
        return shift;
    }

    private static int ceilToMultiple(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /**
     * For each pair (i, j) of the w*w tokens of a window, the row of the bias table for their
     * offset: (dy + w - 1) * (2w - 1) + (dx + w - 1).
     */
    static long[] relativePositionIndex(int w) {
        int tokens = w * w;
        long[] index = new long[tokens * tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = 0; j < tokens; j++) {
                int dy = i / w - j / w;
                int dx = i % w - j % w;
                index[i * tokens + j] = (long) (dy + w - 1) * (2 * w - 1) + (dx + w - 1);
            }
        }
        return index;
    }

    /**
     * The additive mask (windows, w*w, w*w) of a map rolled by {@code shift}: rows and columns
     * fall in three bands each (before the last window, its unshifted part, the wrapped part);
     * tokens of different bands were not adjacent and must not attend to each other.
     */
    static float[] shiftMask(int paddedHeight, int paddedWidth, int w, int shift) {
        int[][] region = new int[paddedHeight][paddedWidth];
        for (int y = 0; y < paddedHeight; y++) {
            for (int x = 0; x < paddedWidth; x++) {
                region[y][x] = band(y, paddedHeight, w, shift) * 3 + band(x, paddedWidth, w, shift);
            }
        }
        int tokens = w * w;
        int windowsAcross = paddedWidth / w;
        int windows = (paddedHeight / w) * windowsAcross;
        float[] mask = new float[windows * tokens * tokens];
        for (int n = 0; n < windows; n++) {
            int top = n / windowsAcross * w;
            int left = n % windowsAcross * w;
            for (int i = 0; i < tokens; i++) {
                for (int j = 0; j < tokens; j++) {
                    int a = region[top + i / w][left + i % w];
                    int b = region[top + j / w][left + j % w];
                    mask[(n * tokens + i) * tokens + j] = a == b ? 0f : MASKED;
                }
            }
        }
        return mask;
    }

    private static int band(int position, int size, int w, int shift) {
        if (position < size - w) {
            return 0;
        }
        return position < size - shift ? 1 : 2;
    }

    /** Rolls {@code x} by {@code amount} along {@code axis} (the engine has no roll). */
    static NDArray roll(NDArray x, int amount, int axis) {
        long size = x.getShape().get(axis);
        long split = Math.floorMod(-amount, size);
        if (split == 0) {
            return x;
        }
        // A split, not two slices: a slice's gradient is a zero-filled array of the whole input.
        NDList parts = x.split(new long[] {split}, axis);
        return parts.get(1).concat(parts.get(0), axis);
    }

    /** (B, H, W, C) with H and W multiples of w to (B * windows, w*w, C). */
    static NDArray partition(NDArray x, int w) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1) / w, w, s.get(2) / w, w, s.get(3))
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(-1, (long) w * w, s.get(3));
    }

    /** The inverse of {@link #partition} for a (B, height, width, C) map. */
    static NDArray reverse(NDArray windows, int w, long batch, int height, int width) {
        long channels = windows.getShape().get(2);
        return windows.reshape(batch, height / w, width / w, w, w, channels)
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(batch, height, width, channels);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        long dim = x.getShape().get(3);
        long headDim = dim / heads;
        int tokens = window * window;

        x = padTo(x, paddedHeight, 1);
        x = padTo(x, paddedWidth, 2);
        if (shift > 0) {
            x = roll(roll(x, -shift, 1), -shift, 2);
        }
        NDArray windows = partition(x, window);
        long windowCount = windows.getShape().get(0) / batch;

        NDList qkvSplit = Layers.queriesKeysValues(qkv.forward(parameterStore,
                new NDList(windows), training).singletonOrThrow(), heads);
        NDArray q = Scalars.times(qkvSplit.get(0).transpose(0, 2, 1, 3),
                1.0 / Math.sqrt(headDim));
        NDArray logits = q.matMul(qkvSplit.get(1).transpose(0, 2, 3, 1));
        NDArray table = parameterStore.getValue(biasTable, x.getDevice(), training);
        NDArray index = parameterStore.getValue(relativeIndex, x.getDevice(), training);
        NDArray bias = table.get(new NDIndex("{}, :", index))
                .reshape(tokens, tokens, heads)
                .transpose(2, 0, 1);
        logits = logits.add(bias);
        if (mask != null) {
            logits = logits.reshape(batch, windowCount, heads, tokens, tokens)
                    .add(parameterStore.getValue(mask, x.getDevice(), training))
                    .reshape(-1, heads, tokens, tokens);
        }
        NDArray mixed = logits.softmax(3).matMul(qkvSplit.get(2).transpose(0, 2, 1, 3))
                .transpose(0, 2, 1, 3)
                .reshape(-1, tokens, dim);
        NDArray out = projection.forward(parameterStore, new NDList(mixed), training)
                .singletonOrThrow();
        out = reverse(out, window, batch, paddedHeight, paddedWidth);
        if (shift > 0) {
            out = roll(roll(out, shift, 1), shift, 2);
        }
        return new NDList(out.get(new NDIndex(":, :{}, :{}, :", height, width)));
    }

    /** Pads {@code x} with zeros along {@code axis} up to {@code size}. */
    static NDArray padTo(NDArray x, int size, int axis) {
        long missing = size - x.getShape().get(axis);
        if (missing <= 0) {
            return x;
        }
        long[] shape = x.getShape().getShape().clone();
        shape[axis] = missing;
        return x.concat(x.getManager().zeros(new Shape(shape), x.getDataType(), x.getDevice()),
                axis);
    }

    /** Its layers were initialised for one window; each image has the padded map's windows. */
    @Override
    public long forwardFlops() {
        Shape x = getInputShapes()[0];
        long windows = x.get(0) * (paddedHeight / window) * (paddedWidth / window);
        long tokens = (long) window * window;
        return windows * (Flops.of(qkv) + Flops.of(projection)
                + Flops.attention(1, tokens, tokens, x.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape x = inputShapes[0];
        if (x.dimension() != 4 || x.get(1) != height || x.get(2) != width) {
            throw new IllegalArgumentException("window attention for a " + height + "x" + width
                    + " map expects (B, " + height + ", " + width + ", C), got " + x);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape windowTokens = new Shape(1, (long) window * window, x.get(3));
        qkv.initialize(manager, dataType, windowTokens);
        projection.initialize(manager, dataType, windowTokens);
    }
}
