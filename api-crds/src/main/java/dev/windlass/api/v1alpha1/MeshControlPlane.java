package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Optional;

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

    /** Why the stored spec could not be read, naming the field; absent when it was read. */
    @JsonIgnore
    private String specError;

    /**
     * Reads the spec leniently: an object the apiserver holds but Java cannot read (a count beyond int, stored
     * while a looser CRD was installed) becomes a MeshControlPlane without a spec and with {@link #specError()},
     * instead of an exception that fails the informer's whole list and, with it, every other mesh.
     */
    @JsonSetter("spec")
    void readSpec(JsonNode spec) {
        SpecReader.Result result = SpecReader.read(spec);
        setSpec(result.spec());
        specError = result.error();
    }

    @Override
    @JsonIgnore
    public void setSpec(MeshControlPlaneSpec spec) {
        super.setSpec(spec);
    }

    public Optional<String> specError() {
        return Optional.ofNullable(specError);
    }

    /**
     * Why a stored spec cannot be read, from the object as the API server holds it: copies of a MeshControlPlane
     * (the operator framework clones each one through JSON) keep a null spec but lose {@link #specError()}.
     */
    public static Optional<String> specErrorOf(JsonNode storedSpec) {
        return Optional.ofNullable(SpecReader.read(storedSpec).error());
    }

    @Override
    protected MeshControlPlaneSpec initSpec() {
        return null;
    }

    @Override
    protected MeshControlPlaneStatus initStatus() {
        return null;
    }
}
