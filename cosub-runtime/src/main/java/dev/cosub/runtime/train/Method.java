package dev.cosub.runtime.train;

import ai.djl.ndarray.NDArray;
import dev.cosub.runtime.io.EnumNames;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.loss.Losses;
import java.util.Locale;

/**
 * The two training methods. They share one training loop and differ only in how a batch is fed
 * to the network and which loss is taken.
 */
public enum Method {
    /** Stochastic depth alone: one forward pass per image, loss on the label. */
    BASELINE {
        @Override
        public NDArray networkInput(NDArray images) {
            return images;
        }

        @Override
        public NDArray loss(NDArray logits, NDArray targets, Criterion criterion, float lambda) {
            return criterion.loss(logits, targets);
        }
    },
    /**
     * Submodel co-training: the batch is run twice in one pass (two random submodels per image)
     * and each submodel also learns from the other's prediction.
     */
    COSUB {
        @Override
        public NDArray networkInput(NDArray images) {
            return images.concat(images, 0);
        }

        @Override
        public NDArray loss(NDArray logits, NDArray targets, Criterion criterion, float lambda) {
            if (criterion != Criterion.BCE) {
                throw new IllegalArgumentException(
                        "cosub is defined with sigmoid BCE; criterion " + criterion
                                + " is only available for the baseline");
            }
            return Losses.cosub(logits, targets, lambda);
        }
    };

    /** The rows the network runs on for a batch of images. */
    public abstract NDArray networkInput(NDArray images);

    /** The training loss for the network's logits on {@link #networkInput} and the targets. */
    public abstract NDArray loss(NDArray logits, NDArray targets, Criterion criterion, float lambda);

    /** How many network rows each training image costs. */
    public int passesPerImage() {
        return this == COSUB ? 2 : 1;
    }

    /** Parses {@code baseline} or {@code cosub}. */
    public static Method parse(String name) {
        return EnumNames.parse(Method.class, name, "method");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
