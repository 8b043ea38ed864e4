package dev.windlass.olm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the build puts the bundle and the catalog, and how to read them back (the drift test and the OLM
 * end-to-end test read the files the build wrote):
 * <pre>
 * target/bundle/&lt;package&gt;/&lt;version&gt;/manifests/&lt;package&gt;.clusterserviceversion.yaml
 *                                      /manifests/&lt;group&gt;_&lt;plural&gt;.yaml   (one per CRD)
 *                                      /manifests/&lt;name&gt;_rbac.authorization.k8s.io_v1_clusterrole.yaml
 *                                      /metadata/annotations.yaml
 *                                      /bundle.Dockerfile
 * target/bundle/catalog/&lt;package&gt;/catalog.yaml
 * </pre>
 */
public record BundleLayout(Path output, String packageName, String version) {
    public static final String PACKAGE = "windlass-operator";
    /** The build's output directory, relative to the olm-bundle module. */
    public static final Path OUTPUT = Path.of("target", "bundle");

    /** Where this build wrote its bundle, below the olm-bundle module directory {@code module}. */
    public static BundleLayout built(Path module, String version) {
        return new BundleLayout(module.resolve(OUTPUT), PACKAGE, version);
    }

    public Path bundle() {
        return output.resolve(packageName).resolve(version);
    }

    public Path manifests() {
        return bundle().resolve("manifests");
    }

    public Path csvFile() {
        return manifests().resolve(packageName + ".clusterserviceversion.yaml");
    }

    public static String crdFileName(CustomResourceDefinition crd) {
        return crd.getSpec().getGroup() + "_" + crd.getSpec().getNames().getPlural() + ".yaml";
    }

    /** As operator-sdk names a bundle's plain manifests: name, group, version and kind. */
    public static String clusterRoleFileName(ClusterRole role) {
        return role.getMetadata().getName() + "_rbac.authorization.k8s.io_v1_clusterrole.yaml";
    }

    public Path annotations() {
        return bundle().resolve("metadata").resolve("annotations.yaml");
    }

    public Path dockerfile() {
        return bundle().resolve("bundle.Dockerfile");
    }

    /** The catalog root that {@code opm validate} and {@code opm serve} take. */
    public Path catalog() {
        return output.resolve("catalog");
    }

    public Path catalogFile() {
        return catalog().resolve(packageName).resolve("catalog.yaml");
    }

    public ClusterServiceVersion readCsv() {
        return read(csvFile(), ClusterServiceVersion.class);
    }

    /** The CRDs of the bundle's manifests directory, by file name. */
    public List<CustomResourceDefinition> readCrds() {
        return readManifests(CustomResourceDefinition.class);
    }

    /** The ClusterRoles of the bundle's manifests directory, by file name. */
    public List<ClusterRole> readClusterRoles() {
        return readManifests(ClusterRole.class);
    }

    private <T> List<T> readManifests(Class<T> kind) {
        return manifestFiles().stream().filter(f -> !f.equals(csvFile())).map(f -> read(f, HasMetadata.class))
                .filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Every file of the manifests directory, by name (the order opm reads them in). */
    public List<Path> manifestFiles() {
        try (var files = Files.list(manifests())) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
