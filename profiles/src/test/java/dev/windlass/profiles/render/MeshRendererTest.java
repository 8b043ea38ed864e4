package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import dev.windlass.traffic.istio.IstioKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties that must hold for any values, beyond what the golden files pin down. */
class MeshRendererTest {

    @Test
    void everyRenderedObjectCarriesTheMeshLabels() {
        for (String profile : ProfileCatalog.PROFILES) {
            for (HasMetadata object : render(profile, "default")) {
                if (object.getKind().equals("CustomResourceDefinition")) {
                    continue;
                }
                assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                        .containsEntry("app.kubernetes.io/instance", "windlass")
                        .containsEntry("app.kubernetes.io/part-of", "windlass")
                        .containsEntry("app.kubernetes.io/managed-by", "windlass-operator")
                        .containsEntry("windlass.dev/rev", "default")
                        .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/version", "app.kubernetes.io/component");
            }
        }
    }

    @Test
    void crdsAndNamespaceComeFirstAndWebhooksAfterTheirService() {
        List<String> kinds = render("demo", "default").stream().map(HasMetadata::getKind).toList();
        assertThat(kinds.subList(0, IstioKind.values().length + 1)).containsOnly("CustomResourceDefinition", "Namespace")
                .endsWith("Namespace").containsOnlyOnce("Namespace");
        assertThat(kinds.indexOf("MutatingWebhookConfiguration")).isGreaterThan(kinds.indexOf("Service"));
        assertThat(kinds.indexOf("ValidatingWebhookConfiguration")).isGreaterThan(kinds.indexOf("Service"));
    }

    /** See ValidationWebhook's javadoc for why these keep installs and uninstalls from deadlocking on it. */
    @Test
    void theValidationWebhookFailsClosedButNeverSeesDeletionsStatusWritesOrDeletingObjects() {
        ValidatingWebhookConfiguration validator = (ValidatingWebhookConfiguration) render("minimal", "canary").stream()
                .filter(o -> o instanceof ValidatingWebhookConfiguration).findFirst().orElseThrow();
        assertThat(validator.getMetadata().getName()).isEqualTo(ValidationWebhook.name("canary", "windlass-system"));
        assertThat(validator.getWebhooks()).singleElement().satisfies(w -> {
            assertThat(w.getFailurePolicy()).isEqualTo("Fail");
            assertThat(w.getClientConfig().getService().getName()).isEqualTo("windlass-discovery-canary");
            assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/validate");
            assertThat(w.getClientConfig().getService().getPort()).isEqualTo(443);
            assertThat(w.getClientConfig().getCaBundle()).as("written by the discovery server").isNull();
            assertThat(w.getRules()).hasSize(2);
            assertThat(w.getRules().get(0)).satisfies(r -> {
                assertThat(r.getApiGroups()).containsExactly("networking.istio.io");
                assertThat(r.getApiVersions()).containsExactly("v1", "v1beta1", "v1alpha3");
                assertThat(r.getResources()).containsExactly("virtualservices", "destinationrules", "gateways", "serviceentries",
                        "sidecars");
                assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE");
            });
            assertThat(w.getRules().get(1)).satisfies(r -> {
                assertThat(r.getApiGroups()).containsExactly("security.istio.io");
                assertThat(r.getApiVersions()).containsExactly("v1", "v1beta1");
                assertThat(r.getResources()).containsExactly("peerauthentications", "authorizationpolicies", "requestauthentications");
                assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE");
            });
            assertThat(w.getMatchConditions()).extracting(c -> c.getExpression()).containsExactly(ValidationWebhook.NOT_BEING_DELETED);
            assertThat(w.getSideEffects()).isEqualTo("None");
            assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
        });
    }

    @Test
    void aRevisionSuffixesRevisionedNamesAndSelectsOnlyItsOwnLabel() {
        List<HasMetadata> objects = render("minimal", "canary");
        assertThat(names(objects, "Deployment")).containsExactly("windlass-discovery-canary");
        assertThat(names(objects, "ConfigMap")).containsExactly("windlass-canary", "windlass-sidecar-injector-canary", "windlass-values-canary");
        MutatingWebhookConfiguration webhook = (MutatingWebhookConfiguration) objects.stream()
                .filter(o -> o instanceof MutatingWebhookConfiguration).findFirst().orElseThrow();
        assertThat(webhook.getMetadata().getName()).isEqualTo("windlass-sidecar-injector-canary-windlass-system");
        // Only the default revision answers windlass-injection=enabled; a revision answers its own rev label.
        assertThat(webhook.getWebhooks()).extracting("name")
                .containsExactly("rev.namespace.sidecar-injector.windlass.dev", "rev.object.sidecar-injector.windlass.dev");
        assertThat(webhook.getWebhooks().getFirst().getNamespaceSelector().getMatchExpressions())
                .anySatisfy(r -> assertThat(r.getValues()).containsExactly("canary"))
                .anySatisfy(r -> assertThat(r.getValues()).containsExactly("kube-system", "windlass-system"));
        assertThat(webhook.getWebhooks().getFirst().getClientConfig().getCaBundle()).isNull();
    }

    @Test
    void hpaOwnsTheReplicaCountWhenEnabled() {
        Deployment discovery = (Deployment) render("default", "default").stream()
                .filter(o -> o instanceof Deployment && o.getMetadata().getName().equals("windlass-discovery")).findFirst().orElseThrow();
        assertThat(discovery.getSpec().getReplicas()).isNull();
        assertThat(names(render("default", "default"), "HorizontalPodAutoscaler")).contains("windlass-discovery", "windlass-ingressgateway");
        assertThat(names(render("demo", "default"), "HorizontalPodAutoscaler")).isEmpty();
    }

    @Test
    void gatewaysCarryIstioSelectorLabels() {
        List<HasMetadata> objects = render("demo", "default");
        Stream.of("ingressgateway", "egressgateway").forEach(kind -> {
            Deployment gateway = (Deployment) objects.stream()
                    .filter(o -> o instanceof Deployment && o.getMetadata().getName().equals("windlass-" + kind)).findFirst().orElseThrow();
            assertThat(gateway.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("istio", kind);
            assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs()).containsExactly("router");
        });
    }

    @Test
    void anOlderRevisionRendersOnlyItsOwnConfigDiscoveryServerAndWebhooks() {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()), List.of(SetFlag.parse("profile=demo")), Optional.empty());
        List<HasMetadata> objects = new MeshRenderer(VersionCatalog.builtIn()).renderRevision("windlass", values.spec(), "windlass-0-1-0");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).contains("windlass-0-1-0"));
        assertThat(names(objects, "Deployment")).containsExactly("windlass-discovery-windlass-0-1-0");
        assertThat(names(objects, "MutatingWebhookConfiguration")).containsExactly("windlass-sidecar-injector-windlass-0-1-0-windlass-system");
    }

    @Test
    void aTagWebhookSelectsTheTagAndCallsItsRevisionOnTheTagPath() {
        var prod = InjectionWebhook.renderTag("prod", "mesh-0-2-0", "windlass-system", "Q0E=");
        assertThat(prod.getMetadata().getName()).isEqualTo("windlass-revision-tag-prod");
        assertThat(prod.getWebhooks()).hasSize(2).allSatisfy(w -> {
            assertThat(w.getClientConfig().getService().getName()).isEqualTo("windlass-discovery-mesh-0-2-0");
            assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/inject/tag/prod");
            assertThat(w.getClientConfig().getCaBundle()).isEqualTo("Q0E=");
        });
        assertThat(prod.getWebhooks().getFirst().getNamespaceSelector().getMatchExpressions().getFirst().getValues()).containsExactly("prod");
        var defaultTag = InjectionWebhook.renderTag("default", "mesh-0-2-0", "windlass-system", "Q0E=");
        assertThat(defaultTag.getWebhooks()).extracting(w -> w.getName()).contains("namespace.sidecar-injector.windlass.dev");
    }

    private static List<String> names(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).map(o -> o.getMetadata().getName()).toList();
    }

    private static List<HasMetadata> render(String profile, String revision) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()), List.of(SetFlag.parse("profile=" + profile)),
                Optional.empty());
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), revision, true);
    }
}
