package dev.windlass.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One revision of a revision-based mesh: a discovery server, its Service and its injection webhook, running side by
 * side with the mesh's other revisions. The operator creates, updates and deletes it; users read it (edits are
 * put back at the next reconcile). Named {@code <meshcontrolplane>-<version with dots as dashes>}.
 */
@Group(MeshControlPlane.GROUP)
@Version(MeshControlPlane.VERSION)
@ShortNames("mrev")
@AdditionalPrinterColumn(name = "Control plane", jsonPath = ".spec.controlPlane", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "In use", jsonPath = ".status.conditions[?(@.type==\"InUse\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Proxies", jsonPath = ".status.proxies", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MeshRevision extends CustomResource<MeshRevisionSpec, MeshRevisionStatus> {
    public static final String CRD_NAME = "meshrevisions." + MeshControlPlane.GROUP;

    @Override
    protected MeshRevisionSpec initSpec() {
        return null;
    }

    @Override
    protected MeshRevisionStatus initStatus() {
        return null;
    }
}
