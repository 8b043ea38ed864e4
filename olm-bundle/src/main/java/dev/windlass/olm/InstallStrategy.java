package dev.windlass.olm;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.NamedInstallStrategy;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.NamedInstallStrategyBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissionsBuilder;

/**
 * The CSV's install strategy: the operator's Deployment, ServiceAccount and RBAC exactly as
 * {@code OperatorResources} renders them for {@code windlass install}. OLM creates the ServiceAccount, a
 * ClusterRole and binding from {@code clusterPermissions}, a Role and binding in the operator's namespace from
 * {@code permissions}, and the Deployment in that namespace. The ClusterRoles that the operator may only
 * {@code bind} are not here: they are plain manifests of the bundle ({@link BundleInputs#clusterRoles()}).
 */
final class InstallStrategy {
    private InstallStrategy() {
    }

    static NamedInstallStrategy of(BundleInputs inputs) {
        Deployment deployment = inputs.deployment();
        return new NamedInstallStrategyBuilder().withStrategy("deployment").withNewSpec()
                .addNewDeployment().withName(deployment.getMetadata().getName())
                .withLabel(deployment.getMetadata().getLabels()).withSpec(deployment.getSpec()).endDeployment()
                .withClusterPermissions(new StrategyDeploymentPermissionsBuilder()
                        .withServiceAccountName(inputs.serviceAccount()).withRules(inputs.clusterRules()).build())
                .withPermissions(new StrategyDeploymentPermissionsBuilder()
                        .withServiceAccountName(inputs.serviceAccount()).withRules(inputs.namespaceRules()).build())
                .endSpec().build();
    }
}
