package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.contract.Labels;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.Revisions;
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
    public String namespace() {
        return spec.namespace();
    }

    public boolean isDefaultRevision() {
        return Revisions.DEFAULT.equals(revision);
    }

    /** Revisioned objects carry the revision in their name, except the default revision's (see Revisions). */
    public String revisioned(String name) {
        return Revisions.revisioned(name, revision);
    }

    /** Cluster-scoped objects of different meshes must not clash, so their names carry the mesh namespace too. */
    public String clusterScoped(String name) {
        return Revisions.clusterScoped(name, revision, namespace());
    }

    public String discoveryName() {
        return Revisions.discoveryName(revision);
    }

    /** The discovery server's TLS xDS address, as proxies and gateways dial it. */
    public String discoveryAddress() {
        return discoveryName() + "." + namespace() + ".svc:" + MeshPorts.XDS_TLS;
    }

    public String versionText() {
        return version.version().toString();
    }

    public Map<String, String> labels(String component, String name) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(Labels.NAME, name);
        labels.put(Labels.INSTANCE, instance);
        labels.put(Labels.VERSION, versionText());
        labels.put(Labels.COMPONENT, component);
        labels.put(Labels.PART_OF, "windlass");
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_OPERATOR);
        labels.put(Labels.REVISION, revision);
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
