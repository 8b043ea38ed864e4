package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.upgrade.MeshVersion;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;
import java.util.TreeMap;

/**
 * What every piece of the rendering needs: the resolved values, the version's images, the revision, and the
 * names and labels that follow from them (see shared/design.md).
 */
public record MeshContext(String instance, MeshControlPlaneSpec spec, MeshVersion version, String revision) {
    public static final String DEFAULT_REVISION = "default";
    public static final String REVISION_LABEL = "windlass.dev/rev";
    public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "windlass-operator";
    public static final String PART_OF_LABEL = "app.kubernetes.io/part-of";

    public String namespace() {
        return spec.namespace();
    }

    public boolean isDefaultRevision() {
        return DEFAULT_REVISION.equals(revision);
    }

    /** Revisioned objects carry the revision in their name, except the default revision's. */
    public String revisioned(String name) {
        return revisioned(name, revision);
    }

    /** Cluster-scoped objects of different meshes must not clash, so their names carry the mesh namespace too. */
    public String clusterScoped(String name) {
        return clusterScoped(name, revision, namespace());
    }

    public String discoveryName() {
        return discoveryName(revision);
    }

    /** The revision a revision-based mesh runs for a version: {@code <mesh>-<version with dots as dashes>}. */
    public static String revisionName(String instance, String version) {
        return instance + "-" + version.replace('.', '-');
    }

    public static String revisioned(String name, String revision) {
        return DEFAULT_REVISION.equals(revision) ? name : name + "-" + revision;
    }

    public static String clusterScoped(String name, String revision, String namespace) {
        return revisioned(name, revision) + "-" + namespace;
    }

    /** The discovery Deployment and Service of a revision. */
    public static String discoveryName(String revision) {
        return revisioned("windlass-discovery", revision);
    }

    /** The discovery server's TLS xDS address, as proxies and gateways dial it. */
    public String discoveryAddress() {
        return discoveryName() + "." + namespace() + ".svc:15012";
    }

    public String versionText() {
        return version.version().toString();
    }

    public Map<String, String> labels(String component, String name) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("app.kubernetes.io/name", name);
        labels.put(INSTANCE_LABEL, instance);
        labels.put("app.kubernetes.io/version", versionText());
        labels.put("app.kubernetes.io/component", component);
        labels.put(PART_OF_LABEL, "windlass");
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(REVISION_LABEL, revision);
        return labels;
    }

    public ObjectMeta meta(String name, String namespace, String component) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels(component, name)).build();
    }

    /** A catalog image, with the registry and repository prefix replaced when values.global.hub is set. */
    public String image(String catalogImage) {
        String hub = spec.values().global().hub();
        if (hub == null || hub.isEmpty()) {
            return catalogImage;
        }
        return hub + "/" + catalogImage.substring(catalogImage.lastIndexOf('/') + 1);
    }
}
