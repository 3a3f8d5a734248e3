package dev.cosub.runtime.data;

/**
 * Training augmentation: a random crop of the image padded by {@code padding} zero pixels on each
 * side, then a horizontal flip with probability 1/2 when {@code horizontalFlip}.
 */
public record Augmentation(int padding, boolean horizontalFlip) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("crop padding must be >= 0, got " + padding);
        }
    }
}
