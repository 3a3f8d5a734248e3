package dev.cosub.runtime.model;

import ai.djl.ndarray.types.Shape;

/** The shape of one input image, channels first. */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** The shape of a batch of {@code batch} such images: (B, C, H, W). */
    public Shape batch(long batch) {
        return new Shape(batch, channels, height, width);
    }

    /** Pixels per image. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
