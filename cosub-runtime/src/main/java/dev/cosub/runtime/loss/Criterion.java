package dev.cosub.runtime.loss;

import ai.djl.ndarray.NDArray;
import dev.cosub.runtime.io.EnumNames;
import java.util.Locale;

/** The loss on labels. */
public enum Criterion {
    /** Sigmoid binary cross-entropy per class, as the cosub / DeiT-III recipe uses. */
    BCE {
        @Override
        public NDArray loss(NDArray logits, NDArray targets) {
            return Losses.bce(logits, targets);
        }

        @Override
        public double uninformedLoss(int classes) {
            return Math.log(2);
        }
    },
    /** Softmax cross-entropy (baseline only). */
    SOFTMAX {
        @Override
        public NDArray loss(NDArray logits, NDArray targets) {
            return Losses.softmaxCrossEntropy(logits, targets);
        }

        @Override
        public double uninformedLoss(int classes) {
            return Math.log(classes);
        }
    };

    /** The loss of logits (B, C) against targets (B, C). */
    public abstract NDArray loss(NDArray logits, NDArray targets);

    /** The loss of all-zero logits, a prediction that knows nothing, for {@code classes}. */
    public abstract double uninformedLoss(int classes);

    /** Parses {@code bce} or {@code softmax}. */
    public static Criterion parse(String name) {
        return EnumNames.parse(Criterion.class, name, "criterion");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
