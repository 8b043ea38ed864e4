package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorResourcesTest {
    static List<String> profiles() {
        return ProfileCatalog.PROFILES;
    }

    /**
     * Kubernetes refuses to let the operator grant what it does not hold: every rendered rule must be covered, and
     * every binding to a ClusterRole must name one the operator may {@code bind} or whose rules it holds.
     */
    @ParameterizedTest
    @MethodSource("profiles")
    void theOperatorHoldsEveryPermissionItsRolesGrant(String profile) {
        List<PolicyRule> held = OperatorResources.clusterRules();
        List<HasMetadata> objects = render(profile);
        List<String> missing = new ArrayList<>();
        for (HasMetadata object : objects) {
            List<PolicyRule> rules = object instanceof ClusterRole c ? c.getRules() : object instanceof Role r ? r.getRules() : List.of();
            missing.addAll(notHeld(held, object.getKind() + " " + object.getMetadata().getName(), rules));
            RoleRef ref = OperatorResources.roleRef(object).orElse(null);
            if (ref != null && ref.getKind().equals("ClusterRole")
                    && !OperatorResources.allows(held, "rbac.authorization.k8s.io", "clusterroles", "bind", ref.getName())) {
                List<PolicyRule> bound = clusterRole(objects, ref.getName())
                        .orElseThrow(() -> new AssertionError(object.getMetadata().getName() + " binds the unknown ClusterRole " + ref.getName()));
                missing.addAll(notHeld(held, object.getKind() + " " + object.getMetadata().getName() + " (binding)", bound));
            }
        }
        assertThat(missing).isEmpty();
    }

    /** Secrets are the gateways' and the discovery server's: the operator may bind their roles, never read one itself. */
    @Test
    void theOperatorHasNoAccessToSecrets() {
        List<PolicyRule> held = new ArrayList<>(OperatorResources.clusterRules());
        held.addAll(OperatorResources.namespaceRules());
        assertThat(held).noneSatisfy(r -> {
            assertThat(r.getApiGroups()).containsAnyOf("", "*");
            assertThat(r.getResources()).containsAnyOf("secrets", "*");
        });
        assertThat(OperatorResources.allows(held, "", "secrets", "get", MeshIdentity.CA_SECRET)).isFalse();
        assertThat(OperatorResources.boundRoles()).extracting(r -> r.getMetadata().getName())
                .containsExactly(OperatorResources.GATEWAY_CREDENTIALS_ROLE, OperatorResources.DISCOVERY_CA_ROLE);
        for (ClusterRole role : OperatorResources.boundRoles()) {
            assertThat(OperatorResources.allows(held, "rbac.authorization.k8s.io", "clusterroles", "bind", role.getMetadata().getName())).isTrue();
            assertThat(notHeld(held, role.getMetadata().getName(), role.getRules())).as("the operator does not hold its rules").isNotEmpty();
        }
        assertThat(OperatorResources.allows(held, "rbac.authorization.k8s.io", "clusterroles", "bind", "cluster-admin")).isFalse();
    }

    /** The rendered ClusterRole of that name, or else the operator install's. */
    private static Optional<List<PolicyRule>> clusterRole(List<HasMetadata> rendered, String name) {
        return Stream.concat(rendered.stream(), OperatorResources.boundRoles().stream())
                .filter(o -> o instanceof ClusterRole && o.getMetadata().getName().equals(name))
                .map(o -> ((ClusterRole) o).getRules()).findFirst();
    }

    /** Each verb of the rules on a resource that the held rules do not allow, by name where the rule names objects. */
    private static List<String> notHeld(List<PolicyRule> held, String what, List<PolicyRule> rules) {
        List<String> missing = new ArrayList<>();
        for (PolicyRule rule : rules) {
            // null: any object of the resource
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? Collections.singletonList(null) : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        names.stream().filter(name -> !OperatorResources.allows(held, group, resource, verb, name))
                                .forEach(name -> missing.add(what + ": " + verb + " " + group + "/" + resource + (name == null ? "" : "/" + name)));
                    }
                }
            }
        }
        return missing;
    }

    @Test
    void theOperatorRunsRestrictedWithProbesAndItsOwnVersion() {
        List<HasMetadata> objects = OperatorResources.render("windlass/operator:" + OperatorResources.version(), Optional.of("local"));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace", "ServiceAccount", "ClusterRole",
                "ClusterRole", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");
        assertThat(objects).filteredOn(ClusterRole.class::isInstance).extracting(o -> o.getMetadata().getName())
                .containsExactly(OperatorResources.NAME, OperatorResources.GATEWAY_CREDENTIALS_ROLE, OperatorResources.DISCOVERY_CA_ROLE);
        Deployment deployment = (Deployment) objects.getLast();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("windlass/operator:" + OperatorResources.version()).doesNotContain("${");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(deployment.getSpec().getStrategy().getType()).as("only the leader is ready").isEqualTo("Recreate");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getEnv()).extracting(e -> e.getName()).contains("POD_NAME", "POD_NAMESPACE", "WINDLASS_PLATFORM");
        assertThat(OperatorResources.clusterRules()).noneSatisfy(r -> assertThat(r.getVerbs()).containsAnyOf("*", "escalate"));
        // bind only on the install's own ClusterRoles, by name
        assertThat(OperatorResources.clusterRules()).filteredOn(r -> r.getVerbs().contains("bind")).singleElement().satisfies(r -> {
            assertThat(r.getVerbs()).containsExactly("bind");
            assertThat(r.getResources()).containsExactly("clusterroles");
            assertThat(r.getResourceNames()).containsExactly(OperatorResources.GATEWAY_CREDENTIALS_ROLE, OperatorResources.DISCOVERY_CA_ROLE);
        });
    }

    private static List<HasMetadata> render(String profile) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.of("kind"));
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
    }
}
