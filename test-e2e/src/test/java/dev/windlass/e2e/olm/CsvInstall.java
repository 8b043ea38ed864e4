package dev.windlass.e2e.olm;

import dev.windlass.olm.BundleLayout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentSpec;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDetailsDeployment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What OLM does with a bundle in AllNamespaces mode, done by hand from the bundle directory the build wrote: the
 * CRDs; the bundle's plain ClusterRole manifests; per {@code clusterPermissions} entry a ClusterRole with exactly its rules, bound to its ServiceAccount; per
 * {@code permissions} entry a Role with exactly its rules in the operator's namespace; the ServiceAccounts; and the
 * Deployments of the install strategy, unchanged, in the operator's namespace. Nothing else: the operator has no
 * permission the CSV does not declare.
 */
final class CsvInstall {
    private final KubernetesClient client;
    private final BundleLayout bundle;
    private final ClusterServiceVersion csv;
    private final String namespace;
    private final List<HasMetadata> created = new ArrayList<>();

    CsvInstall(KubernetesClient client, BundleLayout bundle, String namespace) {
        this.client = client;
        this.bundle = bundle;
        this.csv = bundle.readCsv();
        this.namespace = namespace;
    }

    ClusterServiceVersion csv() {
        return csv;
    }

    void install() {
        create(new NamespaceBuilder().withMetadata(meta(namespace, null)).build());
        for (CustomResourceDefinition crd : bundle.readCrds()) {
            create(crd);
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")), 1, TimeUnit.MINUTES);
        }
        // the bundle's plain manifests: the ClusterRoles the operator may bind but does not hold
        for (ClusterRole role : bundle.readClusterRoles()) {
            role.getMetadata().getLabels().put("olm.owner.kind", "ClusterServiceVersion");
            create(role);
        }
        StrategyDetailsDeployment strategy = csv.getSpec().getInstall().getSpec();
        strategy.getClusterPermissions().forEach(p -> clusterRole(p, p.getRules()));
        strategy.getPermissions().forEach(this::role);
        for (StrategyDeploymentSpec deployment : strategy.getDeployments()) {
            create(new DeploymentBuilder().withMetadata(new ObjectMetaBuilder().withName(deployment.getName())
                    .withNamespace(namespace).withLabels(deployment.getLabel()).build()).withSpec(deployment.getSpec()).build());
        }
    }

    /** Replaces the rules of the ClusterRole made for a clusterPermissions entry (OLM does this on an upgrade). */
    void clusterRules(StrategyDeploymentPermissions permissions, List<PolicyRule> rules) {
        client.rbac().clusterRoles().withName(clusterRoleName(permissions)).edit(r -> {
            r.setRules(rules);
            return r;
        });
    }

    /** Deletes what {@link #install} created, newest first, and waits until it is gone. */
    void uninstall() {
        for (HasMetadata object : created.reversed()) {
            client.resource(object).delete();
            client.resource(object).waitUntilCondition(o -> o == null, 2, TimeUnit.MINUTES);
        }
        created.clear();
    }

    private void clusterRole(StrategyDeploymentPermissions permissions, List<PolicyRule> rules) {
        String name = clusterRoleName(permissions);
        serviceAccount(permissions.getServiceAccountName());
        create(new ClusterRoleBuilder().withMetadata(meta(name, null)).withRules(rules).build());
        create(new ClusterRoleBindingBuilder().withMetadata(meta(name, null)).withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject().withKind("ServiceAccount").withName(permissions.getServiceAccountName()).withNamespace(namespace).endSubject().build());
    }

    private void role(StrategyDeploymentPermissions permissions) {
        String name = csv.getMetadata().getName() + "-" + permissions.getServiceAccountName();
        serviceAccount(permissions.getServiceAccountName());
        create(new RoleBuilder().withMetadata(meta(name, namespace)).withRules(permissions.getRules()).build());
        create(new RoleBindingBuilder().withMetadata(meta(name, namespace)).withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject().withKind("ServiceAccount").withName(permissions.getServiceAccountName()).withNamespace(namespace).endSubject().build());
    }

    private void serviceAccount(String name) {
        if (client.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
            create(new ServiceAccountBuilder().withMetadata(meta(name, namespace)).build());
        }
    }

    private String clusterRoleName(StrategyDeploymentPermissions permissions) {
        return csv.getMetadata().getName() + "-" + permissions.getServiceAccountName();
    }

    private void create(HasMetadata object) {
        created.add(client.resource(object).create());
    }

    private static ObjectMeta meta(String name, String namespace) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .addToLabels("olm.owner.kind", "ClusterServiceVersion").build();
    }
}
