package dev.cosub.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AdamW whose decoupled weight decay applies to weight matrices and kernels only.
 *
 * <p>DJL's AdamW decays every parameter; norms, biases, class tokens and position embeddings
 * should not shrink towards zero. This optimizer routes each parameter to one of two AdamW
 * instances sharing the learning-rate schedule, one with decay and one without.
 */
public final class DecoupledAdamW extends Optimizer {

    private final Set<String> decayedIds;
    private final AdamW decayed;
    private final AdamW undecayed;

    private DecoupledAdamW(Set<String> decayedIds, ParameterTracker learningRate, float weightDecay) {
        super(new NoOptions());
        this.decayedIds = decayedIds;
        this.decayed =
                Optimizer.adamW()
                        .optLearningRateTracker(learningRate)
                        .optWeightDecays(weightDecay)
                        .build();
        this.undecayed =
                Optimizer.adamW().optLearningRateTracker(learningRate).optWeightDecays(0f).build();
    }

    /**
     * An optimizer for {@code network}: parameters of type {@link Parameter.Type#WEIGHT} (linear
     * and convolution weights) are decayed, all others (biases, norm scales and shifts, tokens,
     * position embeddings) are not.
     */
    public static DecoupledAdamW forNetwork(
            Block network, ParameterTracker learningRate, float weightDecay) {
        Set<String> ids =
                network.getParameters().values().stream()
                        .filter(DecoupledAdamW::isDecayed)
                        .map(Parameter::getId)
                        .collect(Collectors.toUnmodifiableSet());
        return new DecoupledAdamW(ids, learningRate, weightDecay);
    }

    /** Whether weight decay applies to this parameter. */
    public static boolean isDecayed(Parameter parameter) {
        return parameter.getType() == Parameter.Type.WEIGHT;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        (decayedIds.contains(parameterId) ? decayed : undecayed).update(parameterId, weight, grad);
    }

    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
