package dev.cosub.runtime.eval;

/**
 * Test-set figures of a network in inference mode.
 *
 * @param top1 fraction of images whose label has the highest logit
 * @param top5 fraction of images whose label is among the five highest logits
 * @param loss mean loss of the run's criterion against the labels
 * @param images number of images evaluated
 */
public record EvalMetrics(double top1, double top5, double loss, int images) {}
