package dev.windlass.contract;

/** How a revision names the objects it owns: the renderer writes these names, the programs and the CLI find them. */
public final class Revisions {
    public static final String DEFAULT = "default";
    /** The discovery Deployment, Service and ClusterRole of the default revision; others add their revision. */
    public static final String DISCOVERY = "windlass-discovery";
    /** The injection ConfigMap; with the mesh namespace, the MutatingWebhookConfiguration. */
    public static final String INJECTOR = "windlass-sidecar-injector";
    /** With the mesh namespace, the ValidatingWebhookConfiguration. */
    public static final String VALIDATOR = "windlass-validator";

    private Revisions() {
    }

    /** {@code ""} and {@code null} mean the default revision, as the discovery server's REVISION does. */
    public static String orDefault(String revision) {
        return revision == null || revision.isEmpty() ? DEFAULT : revision;
    }

    /** Revisioned objects carry the revision in their name, except the default revision's. */
    public static String revisioned(String name, String revision) {
        return DEFAULT.equals(orDefault(revision)) ? name : name + "-" + revision;
    }

    /** Cluster-scoped objects of different meshes must not clash, so their names carry the mesh namespace too. */
    public static String clusterScoped(String name, String revision, String namespace) {
        return revisioned(name, revision) + "-" + namespace;
    }

    /** The discovery Deployment and Service of a revision. */
    public static String discoveryName(String revision) {
        return revisioned(DISCOVERY, revision);
    }

    /** The revision a revision-based mesh runs for a version: {@code <mesh>-<version with dots as dashes>}. */
    public static String revisionName(String instance, String version) {
        return instance + "-" + version.replace('.', '-');
    }
}
