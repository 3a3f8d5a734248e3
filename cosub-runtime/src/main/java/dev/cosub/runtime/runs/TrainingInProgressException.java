package dev.cosub.runtime.runs;

/** The configuration is being trained into the same output directory by another build. */
public final class TrainingInProgressException extends IllegalStateException {

    public TrainingInProgressException(String message) {
        super(message);
    }
}
