package dev.cosub.maven;

import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.goals.Goals;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that train: how the training JVM is started, and what becomes of interrupted and
 * complete runs.
 */
abstract class TrainingMojo extends ConfiguredMojo {

    /**
     * Whether each run trains in its own child JVM, as Surefire forks tests: a native crash of
     * libtorch then fails the build with the run's exit code instead of killing Maven, and the
     * child's allocator and threads are set up for speed. {@code false} trains inside Maven.
     */
    @Parameter(property = "cosub.fork", defaultValue = "true")
    protected boolean fork;

    /** Extra JVM arguments of the training JVM, separated by spaces, e.g. {@code -Xmx8g}. */
    @Parameter(property = "cosub.jvmArgs")
    protected String jvmArgs;

    /**
     * Extra environment variables of the training JVM; they override cosub's tuned settings
     * (e.g. {@code OMP_WAIT_POLICY}).
     */
    @Parameter
    protected Map<String, String> environmentVariables;

    /**
     * libtorch's intra-op threads in the training JVM, with OpenMP's default wait policy.
     * Default: the processors this build may use, shared with the other cosub trainings running
     * on the machine and followed while the run trains.
     */
    @Parameter(property = "cosub.threads")
    protected Integer threads;

    /**
     * Whether a run interrupted before (a killed build, a crashed training JVM) continues from
     * the checkpoint of its last completed epoch, which it keeps in its staging folder under
     * {@code outputDirectory/runs}. {@code false} starts it afresh.
     */
    @Parameter(property = "cosub.resume", defaultValue = "true")
    protected boolean resume;

    /**
     * Whether a configuration that already has a complete run under {@code outputDirectory}
     * trains again. By default its run is reused, so a second {@code mvn package} trains nothing.
     */
    @Parameter(property = "cosub.force", defaultValue = "false")
    protected boolean force;

    /**
     * Whether to remove the staging folders of interrupted runs that nothing will resume
     * (they are listed either way).
     */
    @Parameter(property = "cosub.cleanStaging", defaultValue = "false")
    protected boolean cleanStaging;

    /** The project's directory, whose git commit is recorded with each run. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    protected File projectDirectory;

    /** The plugin's dependencies: the class path of a forked training JVM. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    protected List<Artifact> pluginArtifacts;

    protected Goals.Workspace workspace() {
        return new Goals.Workspace(outputDirectory.toPath(), projectDirectory.toPath(),
                forkOptions(), resume, force, cleanStaging);
    }

    private ForkOptions forkOptions() {
        if (!fork) {
            return ForkOptions.inProcess();
        }
        List<Path> classpath = pluginArtifacts.stream()
                .map(artifact -> artifact.getFile().toPath())
                .toList();
        List<String> extraJvmArgs = jvmArgs == null || jvmArgs.isBlank() ? List.of()
                : List.of(jvmArgs.trim().split("\\s+"));
        return ForkOptions.child(classpath).with(extraJvmArgs,
                environmentVariables == null ? Map.of() : environmentVariables,
                threads);
    }
}
