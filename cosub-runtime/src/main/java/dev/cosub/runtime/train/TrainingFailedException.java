package dev.cosub.runtime.train;

/**
 * A training run that did not finish: its loss diverged, or the process training it died. The
 * message names the run and why; no leaderboard row was written.
 */
public class TrainingFailedException extends RuntimeException {

    public TrainingFailedException(String message) {
        super(message);
    }

    public TrainingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
