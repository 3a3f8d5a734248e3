package dev.cosub.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form layers, each using only those below it, so that a package can be
 * read, tested and changed knowing only what lies beneath it. From the bottom: file formats,
 * statistics, the engine, the networks, the data, the losses, evaluation, training, run folders
 * and the leaderboard, child JVMs, presentation, the goals the front ends call, and the named
 * suites of runs built on them.
 */
class PackageLayersTest {

    /** Bottom first: a package may use any package before it in this list, none after it. */
    static final List<String> LAYERS = List.of("io", "stats", "engine", "model", "data", "loss",
            "eval", "train", "runs", "export", "fork", "report", "goals", "suites");

    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cosub.runtime");

    @Test
    void everyPackageIsALayer() {
        List<String> packages = RUNTIME.stream()
                .map(javaClass -> javaClass.getPackageName())
                .filter(name -> !name.equals("dev.cosub.runtime"))
                .map(name -> name.substring("dev.cosub.runtime.".length()).split("\\.")[0])
                .distinct()
                .filter(name -> !LAYERS.contains(name))
                .toList();
        if (!packages.isEmpty()) {
            throw new AssertionError("packages without a layer in PackageLayersTest.LAYERS: "
                    + packages);
        }
    }

    @Test
    void layersUseOnlyTheLayersBelowThem() {
        LayeredArchitecture architecture =
                layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            architecture =
                    architecture.layer(layer).definedBy("dev.cosub.runtime." + layer + "..");
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
            architecture =
                    architecture.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above);
        }
        architecture = architecture.whereLayer(LAYERS.get(LAYERS.size() - 1))
                .mayNotBeAccessedByAnyLayer();
        architecture.check(RUNTIME);
    }

    /**
     * The shared layers (attention, drop-path, embeddings...) know no architecture, so that a
     * family is read with its layers and a layer can serve any family, as timm keeps
     * {@code layers/} apart from {@code models/}.
     */
    @Test
    void sharedLayersKnowNoArchitecture() {
        noClasses().that().resideInAPackage("dev.cosub.runtime.model.layers..")
                .should().dependOnClassesThat().resideInAPackage("dev.cosub.runtime.model")
                .check(RUNTIME);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.cosub.runtime.(*)..").should().beFreeOfCycles().check(RUNTIME);
    }
}
