package dev.cosub.runtime.runs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The cosub code a run was made with, as the build embedded it in the runtime's jar: the same
 * wherever the jar runs, inside a git work tree or not.
 *
 * @param version the runtime's version
 * @param commit the commit the runtime was built from; {@code null} when it was built outside
 *     a git work tree
 * @param localChanges whether that work tree had changes not in the commit; {@code null} when
 *     unknown
 */
public record CodeVersion(String version, String commit, Boolean localChanges) {

    private static final String RESOURCE = "/dev/cosub/runtime/build.properties";
    private static final CodeVersion CURRENT = read();

    /** The code running now. */
    public static CodeVersion current() {
        return CURRENT;
    }

    private static CodeVersion read() {
        Properties build = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String commit = blankToNull(build.getProperty("git.commit.id.full"));
        String dirty = blankToNull(build.getProperty("git.dirty"));
        return new CodeVersion(build.getProperty("git.build.version", "unknown"), commit,
                dirty == null ? null : Boolean.valueOf(dirty));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * One word for the code: the version and the commit's first 12 digits, {@code +changes}
     * when the build had local changes; {@code unknown} for records made before code versions
     * were kept.
     */
    public static String describe(CodeVersion code) {
        if (code == null) {
            return LeaderboardRow.UNKNOWN_CODE;
        }
        String commit = code.commit() == null ? "no-commit"
                : code.commit().substring(0, Math.min(12, code.commit().length()));
        return code.version() + "@" + commit
                + (Boolean.TRUE.equals(code.localChanges()) ? "+changes" : "");
    }
}
