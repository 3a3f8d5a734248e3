package dev.cosub.runtime.engine;

/** The deep-learning engine could not be loaded on this machine. */
public class EngineUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
