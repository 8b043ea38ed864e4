package dev.windlass.olm;

import dev.windlass.upgrade.MeshVersion;

import java.util.stream.Collectors;

/** The CSV's long description (Markdown, as OperatorHub shows it), from the profiles and the version catalog. */
final class CsvText {
    static final String SUMMARY = "A Java service mesh for Kubernetes: xDS discovery, Netty sidecars and gateways, "
            + "Istio's traffic API, installed and upgraded from one MeshControlPlane.";

    private CsvText() {
    }

    static String description(BundleInputs inputs) {
        return """
                Windlass is a service mesh for Kubernetes, written in Java, and this operator installs it and runs its \
                whole lifecycle. You describe a mesh in one cluster-scoped `MeshControlPlane`: a **profile** plus your \
                overrides. The operator turns it into the discovery server (xDS, certificate authority, sidecar \
                injector), ingress and egress gateways and optional add-ons, applies them in phases, prunes what a \
                change leaves behind, and refuses version changes outside the supported skew. Sidecars are injected \
                into namespaces labelled `windlass-injection=enabled`. The discovery server serves Istio's \
                `networking.istio.io` traffic API, so existing VirtualServices, DestinationRules, Gateways and \
                ServiceEntries keep working.

                ## Install a mesh

                ```yaml
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata:
                  name: windlass
                spec:
                  version: "%s"
                  profile: default
                ```

                `kubectl get mcp` shows its progress; it is ready when its `Ready` condition is `True`. Deleting it \
                removes everything the operator created for it.

                ## Profiles

                | profile | what it installs |
                |---|---|
                %s

                ## Supported mesh versions

                | version | upgradeable from |
                |---|---|
                %s

                In-place upgrades move one minor version at a time; revision-based upgrades up to two.

                ## Install mode

                AllNamespaces only: a `MeshControlPlane` is cluster-scoped and owns objects in namespaces of your \
                choosing (the mesh namespace, gateway namespaces) and cluster-scoped ones (webhooks, cluster roles), \
                so the operator must watch and write cluster-wide.

                ## Disconnected clusters

                `relatedImages` lists every image of every mesh version above, so mirroring the bundle mirrors the \
                mesh too.
                """.formatted(inputs.latestMeshVersion().version(), profiles(inputs), versions(inputs));
    }

    private static String profiles(BundleInputs inputs) {
        return inputs.profiles().stream().map(p -> "| `" + p.name() + "` | " + p.description() + " |")
                .collect(Collectors.joining("\n"));
    }

    private static String versions(BundleInputs inputs) {
        return inputs.meshVersions().stream().map(CsvText::versionRow).collect(Collectors.joining("\n"));
    }

    private static String versionRow(MeshVersion version) {
        return "| " + version.version() + " | " + version.upgradeableFrom() + " |";
    }
}
