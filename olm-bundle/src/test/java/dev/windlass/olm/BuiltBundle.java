package dev.windlass.olm;

import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;

import java.nio.file.Path;
import java.util.List;

/** The bundle this build wrote (phase process-classes, before the tests), read back from target/bundle. */
final class BuiltBundle {
    static final BundleLayout LAYOUT = BundleLayout.built(Path.of(""), OperatorResources.version());
    static final ClusterServiceVersion CSV = LAYOUT.readCsv();

    private BuiltBundle() {
    }

    static List<PolicyRule> clusterRules() {
        return rules(CSV.getSpec().getInstall().getSpec().getClusterPermissions());
    }

    static List<PolicyRule> namespaceRules() {
        return rules(CSV.getSpec().getInstall().getSpec().getPermissions());
    }

    private static List<PolicyRule> rules(List<StrategyDeploymentPermissions> permissions) {
        return permissions.stream().flatMap(p -> p.getRules().stream()).toList();
    }
}
