package dev.windlass.olm;

import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compatibility check, on modified copies of the committed baseline (the MeshControlPlane CRD). */
class CrdCompatibilityTest {
    private static final Path BASELINE = Path.of("crd-baseline");

    @Test
    void theBuildsCrdsAreCompatibleWithTheBaseline() throws IOException {
        assertThat(CrdCompatibility.check(baseline(), OwnedCrds.fromApiCrds())).isEmpty();
    }

    @Test
    void additionsAreCompatible() throws IOException {
        CustomResourceDefinition added = copy(c -> {
            spec(c).getProperties().put("newField", new JSONSchemaProps());
            c.getSpec().getVersions().add(new CustomResourceDefinitionVersionBuilder(c.getSpec().getVersions().getFirst())
                    .withName("v1beta1").withStorage(false).build());
        });
        assertThat(CrdCompatibility.check(baseline(), List.of(added))).isEmpty();
    }

    @Test
    void removingTheStoredVersionFails() throws IOException {
        CustomResourceDefinition removed = copy(c -> c.getSpec().getVersions().getFirst().setName("v1beta1"));
        assertThat(CrdCompatibility.check(baseline(), List.of(removed)))
                .singleElement().asString().contains("meshcontrolplanes.mesh.windlass.dev v1alpha1: the stored version was removed");
        CustomResourceDefinition unserved = copy(c -> c.getSpec().getVersions().getFirst().setServed(false));
        assertThat(CrdCompatibility.check(baseline(), List.of(unserved))).singleElement().asString().contains("no longer served");
    }

    @Test
    void removingAServedVersionFailsUnlessItWasDeprecated() throws IOException {
        List<CustomResourceDefinition> before = List.of(copy(c -> c.getSpec().getVersions().add(
                new CustomResourceDefinitionVersionBuilder(c.getSpec().getVersions().getFirst()).withName("v1beta1").withStorage(false).build())));
        CustomResourceDefinition withoutIt = copy(c -> { });
        assertThat(CrdCompatibility.check(before, List.of(withoutIt))).singleElement().asString()
                .contains("v1beta1: the served version was removed without being marked deprecated");
        before.getFirst().getSpec().getVersions().getLast().setDeprecated(true);
        assertThat(CrdCompatibility.check(before, List.of(withoutIt))).isEmpty();
    }

    @Test
    void removingAFieldFailsUnlessTheBaselineDeprecatedIt() throws IOException {
        CustomResourceDefinition withoutProfile = copy(c -> spec(c).getProperties().remove("profile"));
        assertThat(CrdCompatibility.check(baseline(), List.of(withoutProfile))).singleElement().asString()
                .contains("field spec.profile was removed without being marked deprecated");
        CustomResourceDefinition withoutNested = copy(c -> spec(c).getProperties().get("updateStrategy").getProperties().remove("type"));
        assertThat(CrdCompatibility.check(baseline(), List.of(withoutNested))).singleElement().asString().contains("spec.updateStrategy.type");

        List<CustomResourceDefinition> deprecating = List.of(copy(c -> spec(c).getProperties().get("profile")
                .setDescription("Deprecated: use spec.values instead.")));
        assertThat(CrdCompatibility.check(deprecating, List.of(withoutProfile))).isEmpty();
    }

    @Test
    void changingAFieldsTypeFails() throws IOException {
        CustomResourceDefinition changed = copy(c -> spec(c).getProperties().get("version").setType("integer"));
        assertThat(CrdCompatibility.check(baseline(), List.of(changed))).singleElement().asString()
                .contains("field spec.version changed type from string to integer");
    }

    @Test
    void removingTheCrdFails() throws IOException {
        assertThat(CrdCompatibility.check(baseline(), List.of())).singleElement().asString().contains("the CRD was removed");
    }

    /** The build step itself fails, naming the problem, when the CRDs are not compatible with the baseline. */
    @Test
    void theBuildFailsOnAnIncompatibleBaseline(@TempDir Path dir) throws IOException {
        Path baseline = Files.createDirectories(dir.resolve("baseline"));
        CustomResourceDefinition withExtraField = copy(c -> spec(c).getProperties().put("removedLater", new JSONSchemaProps()));
        Files.writeString(baseline.resolve("mcp.yaml"), Yaml.write(withExtraField));
        assertThatThrownBy(() -> BundleMain.main(new String[]{"releases.yaml", baseline.toString(), dir.resolve("out").toString()}))
                .hasMessageContaining("not compatible").hasMessageContaining("field spec.removedLater was removed");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static List<CustomResourceDefinition> baseline() throws IOException {
        return OwnedCrds.readAll(BASELINE, ".yaml");
    }

    private static CustomResourceDefinition copy(Consumer<CustomResourceDefinition> change) throws IOException {
        CustomResourceDefinition copy = new CustomResourceDefinitionBuilder(baseline().getFirst()).build();
        change.accept(copy);
        return copy;
    }

    private static JSONSchemaProps spec(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().getFirst();
        return version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }
}
