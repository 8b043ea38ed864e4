package dev.windlass.olm;

import dev.windlass.profiles.Profile;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.upgrade.MeshVersion;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.List;
import java.util.Optional;

/**
 * Everything a bundle is made from. {@link #live} takes each part from its one source in the build (the CRDs
 * api-crds generates, the operator's Deployment and RBAC as {@code windlass install} renders them, the mesh version
 * catalog, the profiles); the golden tests pass fixed parts, so that they check the generator alone.
 */
public record BundleInputs(String packageName, Release release, String operatorImage, List<CustomResourceDefinition> crds,
                           Deployment deployment, List<PolicyRule> clusterRules, List<PolicyRule> namespaceRules,
                           List<ClusterRole> clusterRoles, List<MeshVersion> meshVersions, List<Profile> profiles) {

    public BundleInputs {
        crds = List.copyOf(crds);
        clusterRoles = List.copyOf(clusterRoles);
        clusterRules = List.copyOf(clusterRules);
        namespaceRules = List.copyOf(namespaceRules);
        meshVersions = List.copyOf(meshVersions);
        profiles = List.copyOf(profiles);
    }

    public static BundleInputs live(String packageName, Release release) {
        if (!release.version().equals(OperatorResources.version())) {
            throw new IllegalArgumentException("release " + release.version() + " is not this build's version " + OperatorResources.version());
        }
        String image = OperatorResources.image(Optional.empty());
        Deployment deployment = OperatorResources.render(image, Optional.empty()).stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        return new BundleInputs(packageName, release, image, OwnedCrds.fromApiCrds(), deployment,
                OperatorResources.clusterRules(), OperatorResources.namespaceRules(), OperatorResources.boundRoles(),
                VersionCatalog.builtIn().versions(),
                ProfileCatalog.PROFILES.stream().map(ProfileCatalog.builtIn()::profile).toList());
    }

    public String version() {
        return release.version();
    }

    /** The CSV's name, which {@code replaces} of the next release refers to. */
    public String csvName() {
        return packageName + ".v" + version();
    }

    public String serviceAccount() {
        return deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    }

    /** The bundle image's reference: beside the operator image, as {@code <repository>/operator-bundle:<version>}. */
    public String bundleImage() {
        return operatorImage.substring(0, operatorImage.lastIndexOf(':')) + "-bundle:" + version();
    }

    public MeshVersion latestMeshVersion() {
        return meshVersions.getFirst();
    }
}
