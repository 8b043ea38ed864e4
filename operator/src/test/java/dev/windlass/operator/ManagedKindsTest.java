package dev.windlass.operator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.render.InstallPhase;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.profiles.render.RenderedMesh;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the renderer emits must be watched, pruned and uninstalled; otherwise it would be orphaned. */
class ManagedKindsTest {
    static List<String> profiles() {
        return ProfileCatalog.PROFILES;
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyRenderedKindIsManaged(String profile) {
        for (HasMetadata object : render(profile).objects()) {
            if (!(object instanceof CustomResourceDefinition)) {
                assertThat(ManagedObjects.KINDS).as(object.getKind()).contains(object.getClass());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void webhooksAndTheInjectionTemplateComeAfterTheDiscoveryServerAndAddonsLast(String profile) {
        RenderedMesh mesh = render(profile);
        for (InstallPhase phase : InstallPhase.values()) {
            for (HasMetadata object : mesh.phase(phase)) {
                assertPhase(object, phase);
            }
        }
        assertThat(Arrays.stream(InstallPhase.values()).mapToInt(p -> mesh.phase(p).size()).sum())
                .as("every object in one phase").isEqualTo(mesh.objects().size());
    }

    private static void assertPhase(HasMetadata object, InstallPhase phase) {
        String name = object.getMetadata().getName();
        if (object.getKind().endsWith("WebhookConfiguration") || name.startsWith("windlass-sidecar-injector")) {
            assertThat(phase).isEqualTo(InstallPhase.WEBHOOKS);
        } else if (name.startsWith("windlass-discovery")) {
            assertThat(phase).as(object.getKind() + " " + name).isEqualTo(InstallPhase.DISCOVERY);
        } else if (name.startsWith("windlass-") && name.contains("gateway")) {
            assertThat(phase).as(object.getKind() + " " + name).isEqualTo(InstallPhase.GATEWAYS);
        } else if (List.of("prometheus", "grafana", "jaeger", "kiali").stream().anyMatch(name::contains)) {
            assertThat(phase).as(object.getKind() + " " + name).isEqualTo(InstallPhase.ADDONS);
        } else {
            assertThat(phase).as(object.getKind() + " " + name).isEqualTo(InstallPhase.BASE);
        }
    }

    private static RenderedMesh render(String profile) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.of("kind"));
        return new MeshRenderer(VersionCatalog.builtIn()).renderMesh("windlass", values.spec(), "default", true);
    }
}
