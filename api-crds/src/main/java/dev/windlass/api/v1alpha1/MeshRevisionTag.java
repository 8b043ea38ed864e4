package dev.windlass.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A stable name for a revision: namespaces labelled {@code windlass.dev/rev=<tag>} are injected by the revision the
 * tag points at, and follow it when it is moved. The tag {@code default} also serves
 * {@code windlass-injection=enabled}.
 */
@Group(MeshControlPlane.GROUP)
@Version(MeshControlPlane.VERSION)
@ShortNames("mrtag")
@AdditionalPrinterColumn(name = "Target kind", jsonPath = ".spec.targetRef.kind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.targetRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MeshRevisionTag extends CustomResource<MeshRevisionTagSpec, MeshRevisionTagStatus> {
    public static final String CRD_NAME = "meshrevisiontags." + MeshControlPlane.GROUP;

    @Override
    protected MeshRevisionTagSpec initSpec() {
        return null;
    }

    @Override
    protected MeshRevisionTagStatus initStatus() {
        return null;
    }
}
