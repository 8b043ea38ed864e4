package dev.windlass.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A mesh installation. Cluster-scoped so that it can own cluster-scoped objects, and so that deleting a
 * namespace never deadlocks its finalizer.
 */
@Group(MeshControlPlane.GROUP)
@Version(MeshControlPlane.VERSION)
@ShortNames("mcp")
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".spec.namespace", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".status.profile", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revisions", jsonPath = ".status.revisions.total", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MeshControlPlane extends CustomResource<MeshControlPlaneSpec, MeshControlPlaneStatus> {
    public static final String GROUP = "mesh.windlass.dev";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "meshcontrolplanes." + GROUP;
    /** Set to "true" before deleting a MeshControlPlane to also delete the traffic-API CRDs it created. */
    public static final String PURGE_ANNOTATION = "windlass.dev/purge";

    @Override
    protected MeshControlPlaneSpec initSpec() {
        return null;
    }

    @Override
    protected MeshControlPlaneStatus initStatus() {
        return null;
    }
}
