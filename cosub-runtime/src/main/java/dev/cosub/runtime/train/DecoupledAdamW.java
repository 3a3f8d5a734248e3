package dev.cosub.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AdamW whose decoupled weight decay applies to weight matrices and kernels only, with its state
 * (both moments and the step count of every parameter) open to checkpoints.
 *
 * <p>DJL's AdamW decays every parameter and keeps its state private; norms, biases, class tokens
 * and position embeddings should not shrink towards zero, and a resumed run needs the moments.
 * The update itself is DJL's fused native one, with DJL's defaults (betas 0.9 and 0.999, epsilon
 * 1e-8).
 */
public final class DecoupledAdamW extends Optimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final Set<String> decayedIds;
    private final ParameterTracker learningRate;
    private final float weightDecay;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    private DecoupledAdamW(Set<String> decayedIds, ParameterTracker learningRate,
            float weightDecay) {
        super(new NoOptions());
        this.decayedIds = decayedIds;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
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
        int step = steps.merge(parameterId, 1, Integer::sum);
        float rate = learningRate.getNewValue(parameterId, step);
        double firstCorrection = 1 - Math.pow(BETA1, step);
        double secondCorrection = 1 - Math.pow(BETA2, step);
        float correctedRate = (float) (rate * Math.sqrt(secondCorrection) / firstCorrection);
        NDArray mean = means.computeIfAbsent(parameterId, id -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, id -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance),
                new NDList(weight), rate, correctedRate,
                decayedIds.contains(parameterId) ? weightDecay : 0f, 1f, -1f, BETA1, BETA2,
                EPSILON, true, true);
    }

    /**
     * The optimizer's state for {@code parameters}, in that order: each one's step count, and
     * its first and second moments (zeros before its first step).
     */
    public State state(List<Parameter> parameters) {
        int[] counts = new int[parameters.size()];
        NDList moments = new NDList();
        for (int i = 0; i < counts.length; i++) {
            Parameter parameter = parameters.get(i);
            String id = parameter.getId();
            counts[i] = steps.getOrDefault(id, 0);
            NDArray weight = parameter.getArray();
            moments.add(means.containsKey(id) ? means.get(id) : weight.zerosLike());
            moments.add(variances.containsKey(id) ? variances.get(id) : weight.zerosLike());
        }
        return new State(counts, moments);
    }

    /**
     * Continues from a saved state of the same network's {@code parameters}: their moments are
     * copied into arrays of this optimizer.
     *
     * @throws IllegalArgumentException when the state is not of these parameters
     */
    public void restore(State state, List<Parameter> parameters) {
        if (state.steps().length != parameters.size()
                || state.moments().size() != 2 * parameters.size()) {
            throw new IllegalArgumentException("optimizer state of " + state.steps().length
                    + " parameters for a network of " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            String id = parameters.get(i).getId();
            NDArray weight = parameters.get(i).getArray();
            steps.put(id, state.steps()[i]);
            means.put(id, copy(state.moments().get(2 * i), weight));
            variances.put(id, copy(state.moments().get(2 * i + 1), weight));
        }
    }

    private static NDArray copy(NDArray saved, NDArray like) {
        if (!saved.getShape().equals(like.getShape())) {
            throw new IllegalArgumentException("optimizer state of shape " + saved.getShape()
                    + " for a parameter of shape " + like.getShape());
        }
        NDArray copy = like.zerosLike();
        copy.set(saved.toByteBuffer());
        return copy;
    }

    /**
     * What a resumed run needs of the optimizer.
     *
     * @param steps each parameter's step count, in the network's parameter order
     * @param moments first and second moment of each parameter, in that order
     */
    public record State(int[] steps, NDList moments) {}

    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
