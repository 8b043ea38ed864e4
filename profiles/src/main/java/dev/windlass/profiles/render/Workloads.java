package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.HpaSettings;
import dev.windlass.api.v1alpha1.K8sSettings;
import dev.windlass.api.v1alpha1.PdbSettings;
import dev.windlass.contract.EnvVars;
import dev.windlass.contract.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Deployments, PodDisruptionBudgets and HorizontalPodAutoscalers, shaped by a component's k8s settings. */
final class Workloads {
    private Workloads() {
    }

    static Deployment deployment(MeshContext ctx, WorkloadSpec w) {
        K8sSettings k8s = w.k8s();
        Map<String, String> podLabels = new TreeMap<>(ctx.labels(w.component(), w.name()));
        podLabels.putAll(w.selector());
        podLabels.putAll(w.extraPodLabels());
        podLabels.put(Labels.INJECT, "false");
        podLabels.putAll(orEmpty(k8s.podLabels()));
        Container container = new ContainerBuilder(w.container())
                .withResources(k8s.resources())
                .addAllToEnv(orEmpty(k8s.env()))
                .build();
        return new DeploymentBuilder()
                .withMetadata(ctx.meta(w.name(), w.namespace(), w.component()))
                .withNewSpec()
                .withReplicas(hpaEnabled(k8s) ? null : k8s.replicas())
                .withNewSelector().withMatchLabels(new TreeMap<>(w.selector())).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString("100%")).withMaxUnavailable(new IntOrString("25%"))
                .endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(sorted(k8s.podAnnotations())).endMetadata()
                .withNewSpec()
                .withServiceAccountName(w.name())
                .withSecurityContext(PodSecurity.pod())
                .withContainers(container)
                .withVolumes(w.volumes())
                .withNodeSelector(sorted(k8s.nodeSelector()))
                .withTolerations(orEmpty(k8s.tolerations()))
                .withAffinity(k8s.affinity())
                .withPriorityClassName(k8s.priorityClassName())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The PodDisruptionBudget and HorizontalPodAutoscaler that the k8s settings ask for, if any. */
    static List<HasMetadata> scaling(MeshContext ctx, WorkloadSpec w) {
        List<HasMetadata> objects = new ArrayList<>();
        PdbSettings pdb = w.k8s().pdb();
        if (pdb != null && Boolean.TRUE.equals(pdb.enabled())) {
            objects.add(new PodDisruptionBudgetBuilder()
                    .withMetadata(ctx.meta(w.name(), w.namespace(), w.component()))
                    .withNewSpec()
                    .withMinAvailable(new IntOrString(Optional.ofNullable(pdb.minAvailable()).orElse(1)))
                    .withNewSelector().withMatchLabels(new TreeMap<>(w.selector())).endSelector()
                    .endSpec().build());
        }
        if (hpaEnabled(w.k8s())) {
            HpaSettings hpa = w.k8s().hpa();
            objects.add(new HorizontalPodAutoscalerBuilder()
                    .withMetadata(ctx.meta(w.name(), w.namespace(), w.component()))
                    .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(w.name()).endScaleTargetRef()
                    .withMinReplicas(hpa.minReplicas()).withMaxReplicas(hpa.maxReplicas())
                    .addNewMetric().withType("Resource").withNewResource().withName("cpu")
                    .withNewTarget().withType("Utilization").withAverageUtilization(hpa.targetCPUUtilizationPercentage()).endTarget()
                    .endResource().endMetric()
                    .endSpec().build());
        }
        return objects;
    }

    /** Env vars every mesh process reads to know which pod it is. */
    static List<EnvVar> podIdentityEnv() {
        return List.of(
                fieldEnv(EnvVars.POD_NAME, "metadata.name"),
                fieldEnv(EnvVars.POD_NAMESPACE, "metadata.namespace"),
                fieldEnv(EnvVars.INSTANCE_IP, "status.podIP"),
                fieldEnv(EnvVars.SERVICE_ACCOUNT, "spec.serviceAccountName"));
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fieldEnv(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
                .withApiVersion("v1").withFieldPath(fieldPath).endFieldRef().endValueFrom().build();
    }

    private static boolean hpaEnabled(K8sSettings k8s) {
        return k8s.hpa() != null && Boolean.TRUE.equals(k8s.hpa().enabled());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? null : new TreeMap<>(map);
    }
}
