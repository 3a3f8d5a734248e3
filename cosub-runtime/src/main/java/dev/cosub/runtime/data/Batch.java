package dev.cosub.runtime.data;

/**
 * One batch ready for the engine: normalised pixels (size x C x H x W, row-major) and labels.
 * The pixel array may be longer than needed; only the first {@code size} images count.
 */
public record Batch(float[] pixels, int[] labels, int size) {}
