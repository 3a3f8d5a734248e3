package dev.cosub.runtime.data;

import java.util.Objects;

/**
 * Training augmentation: a random crop of the image padded by {@code padding} zero pixels on each
 * side, then a horizontal flip with probability 1/2 when {@code horizontalFlip}; optionally
 * DeiT III's 3-Augment on top (exactly one of grayscale, solarisation and Gaussian blur per image,
 * then colour jitter 0.3 on colour images), and Mixup/CutMix across the batch.
 *
 * @param padding zero pixels added on each side before the random crop
 * @param horizontalFlip whether images may be mirrored (not for digits)
 * @param threeAugment whether 3-Augment follows the crop and flip
 * @param mixing Mixup and CutMix of the whole batch, or {@link Mixing#NONE}
 */
public record Augmentation(int padding, boolean horizontalFlip, boolean threeAugment,
        Mixing mixing) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("crop padding must be >= 0, got " + padding);
        }
        Objects.requireNonNull(mixing, "mixing");
    }

    /** Crop and flip only. */
    public Augmentation(int padding, boolean horizontalFlip) {
        this(padding, horizontalFlip, false, Mixing.NONE);
    }

    /** This augmentation with 3-Augment and {@code batchMixing} added. */
    public Augmentation withThreeAugmentAndMixing(Mixing batchMixing) {
        return new Augmentation(padding, horizontalFlip, true, batchMixing);
    }
}
