package dev.windlass.olm;

import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build step (olm-bundle/pom.xml, phase process-classes): checks the CRDs against the baseline, then writes
 * the bundle and the catalog.
 *
 * <p>Arguments: releases.yaml, the CRD baseline directory, the output directory.
 */
public final class BundleMain {
    private BundleMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: BundleMain RELEASES_YAML CRD_BASELINE_DIR OUTPUT_DIR");
        }
        Release release = Release.read(Path.of(args[0]), OperatorResources.version());
        BundleInputs inputs = BundleInputs.live(BundleLayout.PACKAGE, release);
        checkCompatibility(Path.of(args[1]), inputs.crds());
        BundleLayout layout = new BundleLayout(Path.of(args[2]), inputs.packageName(), inputs.version());
        generate(inputs, layout);
        System.out.println("[olm-bundle] bundle " + layout.bundle() + " (" + inputs.crds().size() + " CRDs), catalog " + layout.catalog());
    }

    /** Writes the bundle directory and the catalog for it. */
    public static void generate(BundleInputs inputs, BundleLayout layout) throws IOException {
        deleteRecursively(layout.bundle());
        deleteRecursively(layout.catalog());
        ClusterServiceVersion csv = CsvFactory.csv(inputs);
        BundleWriter.write(inputs, csv, layout);
        Catalog.write(inputs, layout);
    }

    /** So that a CRD dropped from api-crds does not linger in the bundle from an earlier build. */
    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void checkCompatibility(Path baselineDirectory, List<CustomResourceDefinition> crds) throws IOException {
        List<CustomResourceDefinition> baseline = OwnedCrds.readAll(baselineDirectory, ".yaml");
        List<String> problems = CrdCompatibility.check(baseline, crds);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the CRDs are not compatible with the previous release's (" + baselineDirectory
                    + "):\n  " + String.join("\n  ", problems));
        }
        System.out.println("[olm-bundle] CRDs compatible with " + baseline.size() + " baseline CRD(s) in " + baselineDirectory);
    }
}
