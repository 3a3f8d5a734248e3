package dev.cosub.runtime.train;

import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.data.Mixing;
import dev.cosub.runtime.io.EnumNames;
import java.util.Locale;

/** The training recipe around the method: augmentation and targets. */
public enum Recipe {
    /** The data's padded random crop and flip (where the data allows), one-hot targets. */
    SIMPLE {
        @Override
        public Augmentation augmentation(Augmentation dataDefault) {
            return dataDefault;
        }

        @Override
        public String targets() {
            return "one-hot labels";
        }
    },
    /**
     * DeiT III's, which cosub builds on: the crop and flip, then 3-Augment; Mixup 0.8 or CutMix
     * 1.0 per batch (even odds) before cosub duplicates the batch; BCE targets binarised, every
     * class with a non-zero mixing weight becoming 1; no label smoothing. ViT trains with the same
     * drop-path rate on every block.
     */
    DEIT3 {
        @Override
        public Augmentation augmentation(Augmentation dataDefault) {
            return dataDefault.withThreeAugmentAndMixing(Mixing.DEIT3);
        }

        @Override
        public String targets() {
            return "one-hot labels; in a mixed batch binarised: every class with a non-zero"
                    + " mixing weight is 1";
        }
    };

    /** The training augmentation of this recipe on data whose own is {@code dataDefault}. */
    public abstract Augmentation augmentation(Augmentation dataDefault);

    /** How this recipe turns labels into training targets, in words for the run's record. */
    public abstract String targets();

    /** Parses {@code simple} or {@code deit3}. */
    public static Recipe parse(String name) {
        return EnumNames.parse(Recipe.class, name, "recipe");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
