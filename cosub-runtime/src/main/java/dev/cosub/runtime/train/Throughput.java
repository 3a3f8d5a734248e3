package dev.cosub.runtime.train;

/**
 * How fast a run trained. Rates are taken over windows of consecutive steps after the first
 * window, which warms the engine up; the median is robust to a shared machine's stalls and the
 * quartiles show how much it varied.
 *
 * @param imagesPerSecond median training images per second over the windows (an image counts
 *     once, though cosub runs it through two submodels)
 * @param imagesPerSecondQ1 the lower quartile of the windows' rates
 * @param imagesPerSecondQ3 the upper quartile of the windows' rates
 * @param windows how many windows the rates come from
 * @param forwardFlopsPerImage forward FLOPs of the whole network per image
 * @param trainFlopsPerSecond model FLOP/s at the median rate: three times the forward FLOPs
 *     (forward and backward) for every row the network runs, two per image with cosub
 * @param matmulPeakFlopsPerSecond the best FLOP/s of a large float matrix product on the same
 *     device, measured in the same process before and after training
 */
public record Throughput(
        double imagesPerSecond,
        double imagesPerSecondQ1,
        double imagesPerSecondQ3,
        int windows,
        long forwardFlopsPerImage,
        double trainFlopsPerSecond,
        double matmulPeakFlopsPerSecond) {

    /** Model FLOP/s as a fraction of the measured matrix-product peak. */
    public double fractionOfPeak() {
        return trainFlopsPerSecond / matmulPeakFlopsPerSecond;
    }
}
