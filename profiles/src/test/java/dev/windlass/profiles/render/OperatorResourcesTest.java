package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorResourcesTest {
    static List<String> profiles() {
        return ProfileCatalog.PROFILES;
    }

    /** Kubernetes refuses to let the operator grant what it does not hold: every rendered rule must be covered. */
    @ParameterizedTest
    @MethodSource("profiles")
    void theOperatorHoldsEveryPermissionItsRolesGrant(String profile) {
        List<PolicyRule> held = OperatorResources.clusterRules();
        List<String> missing = new ArrayList<>();
        for (HasMetadata object : render(profile)) {
            List<PolicyRule> rules = object instanceof ClusterRole c ? c.getRules() : object instanceof Role r ? r.getRules() : List.of();
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            if (!OperatorResources.allows(held, group, resource, verb)) {
                                missing.add(object.getKind() + " " + object.getMetadata().getName() + ": " + verb + " " + group + "/" + resource);
                            }
                        }
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theOperatorRunsRestrictedWithProbesAndItsOwnVersion() {
        List<HasMetadata> objects = OperatorResources.render("windlass/operator:" + OperatorResources.version(), Optional.of("local"));
        assertThat(objects).extracting(HasMetadata::getKind)
                .containsExactly("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");
        Deployment deployment = (Deployment) objects.get(6);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("windlass/operator:" + OperatorResources.version()).doesNotContain("${");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(deployment.getSpec().getStrategy().getType()).as("only the leader is ready").isEqualTo("Recreate");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getEnv()).extracting(e -> e.getName()).contains("POD_NAME", "POD_NAMESPACE", "WINDLASS_PLATFORM");
        assertThat(OperatorResources.clusterRules()).noneSatisfy(r -> assertThat(r.getVerbs()).containsAnyOf("*", "escalate", "bind"));
    }

    private static List<HasMetadata> render(String profile) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.of("kind"));
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
    }
}
