package dev.windlass.olm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.upgrade.MeshVersion;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle this build wrote takes each part from its one source, completely. */
class BuiltBundleTest {
    private static final Release RELEASE = Release.read(Path.of("releases.yaml"), OperatorResources.version());

    @Test
    void ownsEveryCrdThatApiCrdsGeneratesInEveryServedVersion() {
        List<CustomResourceDefinition> generated = OwnedCrds.fromApiCrds();
        assertThat(BuiltBundle.LAYOUT.readCrds()).extracting(c -> c.getMetadata().getName())
                .containsExactlyElementsOf(generated.stream().map(c -> c.getMetadata().getName()).toList());
        List<String> owned = BuiltBundle.CSV.getSpec().getCustomresourcedefinitions().getOwned().stream()
                .map(d -> d.getName() + "/" + d.getVersion()).toList();
        List<String> served = new ArrayList<>();
        generated.forEach(crd -> crd.getSpec().getVersions().stream().filter(v -> v.getServed())
                .forEach(v -> served.add(crd.getMetadata().getName() + "/" + v.getName())));
        assertThat(owned).containsExactlyInAnyOrderElementsOf(served);
        assertThat(BuiltBundle.CSV.getSpec().getCustomresourcedefinitions().getOwned())
                .allSatisfy(d -> assertThat(d.getDescription()).isNotBlank());
    }

    @Test
    void describesTheMainFieldsOfTheMeshControlPlane() {
        CRDDescription mcp = BuiltBundle.CSV.getSpec().getCustomresourcedefinitions().getOwned().stream()
                .filter(d -> d.getKind().equals("MeshControlPlane")).findFirst().orElseThrow();
        assertThat(mcp.getSpecDescriptors()).extracting(d -> d.getPath())
                .contains("version", "profile", "namespace", "updateStrategy.type", "addons.prometheus.enabled");
        assertThat(mcp.getStatusDescriptors()).extracting(d -> d.getPath())
                .contains("conditions", "version", "profile", "activeRevision", "revisions.total");
    }

    @Test
    void installsTheOperatorExactlyAsWindlassInstallRendersIt() {
        Deployment rendered = OperatorResources.render(OperatorResources.image(Optional.empty()), Optional.empty()).stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        StrategyDeploymentSpec deployment = BuiltBundle.CSV.getSpec().getInstall().getSpec().getDeployments().getFirst();
        assertThat(deployment.getSpec()).isEqualTo(rendered.getSpec());
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getLivenessProbe()).isNotNull();
        assertThat(container.getReadinessProbe()).isNotNull();
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(BuiltBundle.clusterRules()).isEqualTo(OperatorResources.clusterRules());
        assertThat(BuiltBundle.namespaceRules()).isEqualTo(OperatorResources.namespaceRules());
        // OLM creates a bundle's plain ClusterRole manifests: those the operator may bind but does not hold
        assertThat(BuiltBundle.LAYOUT.readClusterRoles()).extracting(r -> r.getMetadata().getName() + " " + r.getRules())
                .containsExactlyInAnyOrderElementsOf(OperatorResources.boundRoles().stream()
                        .map(r -> r.getMetadata().getName() + " " + r.getRules()).toList());
        assertThat(BuiltBundle.CSV.getSpec().getInstall().getSpec().getClusterPermissions())
                .allSatisfy(p -> assertThat(p.getServiceAccountName()).isEqualTo(rendered.getSpec().getTemplate().getSpec().getServiceAccountName()));
    }

    @Test
    void supportsAllNamespacesOnly() {
        assertThat(BuiltBundle.CSV.getSpec().getInstallModes()).filteredOn(InstallMode::getSupported)
                .extracting(InstallMode::getType).containsExactly("AllNamespaces");
    }

    @Test
    void relatedImagesListEveryImageOfEveryMeshVersionAndTheOperator() {
        List<String> images = BuiltBundle.CSV.getSpec().getRelatedImages().stream().map(RelatedImage::getImage).toList();
        assertThat(images).doesNotHaveDuplicates().contains(OperatorResources.image(Optional.empty()));
        for (MeshVersion version : VersionCatalog.builtIn().versions()) {
            var i = version.images();
            assertThat(images).as(version.version().toString())
                    .contains(i.discovery(), i.proxy(), i.prometheus(), i.grafana(), i.tracing(), i.kiali());
        }
        assertThat(BuiltBundle.CSV.getSpec().getRelatedImages()).extracting(RelatedImage::getName).doesNotHaveDuplicates();
    }

    @Test
    void almExamplesHaveOneValidMeshPerProfile() throws IOException {
        List<MeshControlPlane> examples = new ObjectMapper().readValue(
                BuiltBundle.CSV.getMetadata().getAnnotations().get("alm-examples"), new TypeReference<>() { });
        assertThat(examples).extracting(m -> m.getSpec().profile()).containsExactlyElementsOf(ProfileCatalog.PROFILES);
        ValuesResolver resolver = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn());
        for (MeshControlPlane example : examples) {
            ObjectNode spec = Yaml.MAPPER.valueToTree(example.getSpec());
            assertThat(resolver.resolve(new ValuesLayer("alm-examples", spec), List.of(), Optional.empty()).spec()).isNotNull();
        }
    }

    @Test
    void theDescriptionNamesEveryMeshVersionAndProfile() {
        String description = BuiltBundle.CSV.getSpec().getDescription();
        VersionCatalog.builtIn().versions().forEach(v -> assertThat(description).contains("| " + v.version() + " |"));
        ProfileCatalog.PROFILES.forEach(p -> assertThat(description).contains("`" + p + "`"));
        assertThat(BuiltBundle.CSV.getSpec().getIcon()).singleElement().satisfies(i -> assertThat(i.getMediatype()).isEqualTo("image/svg+xml"));
    }

    @Test
    void theUpgradeGraphComesFromReleasesYaml() throws IOException {
        assertThat(BuiltBundle.CSV.getSpec().getReplaces()).isEqualTo(RELEASE.replaces());
        assertThat(BuiltBundle.CSV.getMetadata().getAnnotations()).containsEntry("olm.skipRange", RELEASE.skipRange());
        Map<?, ?> annotations = (Map<?, ?>) Yaml.MAPPER.readValue(BuiltBundle.LAYOUT.annotations().toFile(), Map.class).get("annotations");
        assertThat(annotations.get("operators.operatorframework.io.bundle.channels.v1")).isEqualTo(String.join(",", RELEASE.channels()));
        assertThat(annotations.get("operators.operatorframework.io.bundle.channel.default.v1")).isEqualTo(RELEASE.defaultChannel());
        String catalog = Files.readString(BuiltBundle.LAYOUT.catalogFile());
        for (String channel : RELEASE.channels()) {
            assertThat(catalog).contains("schema: olm.channel\nname: " + channel + "\npackage: " + BundleLayout.PACKAGE + "\nentries:\n- name: "
                    + BuiltBundle.CSV.getMetadata().getName() + "\n  replaces: " + RELEASE.replaces() + "\n  skipRange: '" + RELEASE.skipRange() + "'\n");
        }
        assertThat(Files.readString(BuiltBundle.LAYOUT.dockerfile())).contains("LABEL operators.operatorframework.io.bundle.channels.v1="
                + String.join(",", RELEASE.channels()));
    }
}
