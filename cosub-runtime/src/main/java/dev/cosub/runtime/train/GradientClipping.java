package dev.cosub.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.cosub.runtime.engine.Scalars;
import java.util.List;

/**
 * Clipping by global norm: when the L2 norm of all gradients together exceeds the limit, every
 * gradient is scaled by the same factor. (DJL's {@code optClipGrad} clamps element-wise.)
 */
final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales the gradients of {@code parameters} in place so that their global norm is at most
     * {@code maxNorm}, and returns the norm before clipping. The scale stays on the device: no
     * host round-trip per step.
     *
     * @param scope manager that owns the temporaries of this step
     */
    static NDArray clip(List<Parameter> parameters, float maxNorm, NDManager scope) {
        NDArray squaredSum = null;
        NDArray[] gradients = new NDArray[parameters.size()];
        for (int i = 0; i < gradients.length; i++) {
            NDArray gradient = parameters.get(i).getArray().getGradient();
            // getGradient() wraps the tensor in a new array owned by the parameter's manager.
            gradient.attach(scope);
            gradients[i] = gradient;
            NDArray squares = gradient.square().sum();
            squaredSum = squaredSum == null ? squares : squaredSum.addi(squares);
        }
        NDArray norm = squaredSum.sqrt();
        // Constants made on the device: Java numbers would be host-to-device copies that make
        // a GPU wait for its stream, four times a step.
        NDArray scale = norm.add(Scalars.of(norm, 1e-6f)).pow(Scalars.of(norm, -1))
                .muli(Scalars.of(norm, maxNorm)).minimum(Scalars.of(norm, 1f));
        for (NDArray gradient : gradients) {
            gradient.muli(scale);
        }
        return norm;
    }
}
