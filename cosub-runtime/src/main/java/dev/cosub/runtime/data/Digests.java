package dev.cosub.runtime.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The one hash of data and configurations: SHA-256. */
public final class Digests {

    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
