package dev.cosub.runtime.data;

import java.util.Objects;

/**
 * Training augmentation. The crop is either a window shifted by up to {@code padding} pixels
 * over the zero-padded image (small images: CIFAR's and Fashion-MNIST's usual crop) or, with
 * {@code randomResizedCrop}, a window of 8% to 100% of the image's area at an aspect ratio in
 * [3/4, 4/3] resized to the output (photos: the ImageNet crop). Then a horizontal flip with
 * probability 1/2 when {@code horizontalFlip}; optionally DeiT III's 3-Augment (exactly one of
 * grayscale, solarisation and Gaussian blur per image, then colour jitter 0.3 on colour images),
 * and Mixup/CutMix across the batch.
 *
 * @param padding the largest shift of the padded crop, in pixels (unused by the other crop)
 * @param randomResizedCrop whether the crop is a random-resized one
 * @param horizontalFlip whether images may be mirrored (not for digits)
 * @param threeAugment whether 3-Augment follows the crop and flip
 * @param mixing Mixup and CutMix of the whole batch, or {@link Mixing#NONE}
 */
public record Augmentation(int padding, boolean randomResizedCrop, boolean horizontalFlip,
        boolean threeAugment, Mixing mixing) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("crop padding must be >= 0, got " + padding);
        }
        Objects.requireNonNull(mixing, "mixing");
    }

    /** A padded crop and maybe a flip. */
    public Augmentation(int padding, boolean horizontalFlip) {
        this(padding, false, horizontalFlip, false, Mixing.NONE);
    }

    /** A random-resized crop and maybe a flip. */
    public static Augmentation randomResized(boolean horizontalFlip) {
        return new Augmentation(0, true, horizontalFlip, false, Mixing.NONE);
    }

    /** What 3-Augment does here, in words for a run's record; {@code null} when it is off. */
    public String threeAugmentSettings() {
        return threeAugment ? ThreeAugment.settings() : null;
    }

    /** This augmentation with 3-Augment and {@code batchMixing} added. */
    public Augmentation withThreeAugmentAndMixing(Mixing batchMixing) {
        return new Augmentation(padding, randomResizedCrop, horizontalFlip, true, batchMixing);
    }
}
