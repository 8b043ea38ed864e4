package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** The Kubernetes settings of one component's workload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record K8sSettings(
        @Min(0) Integer replicas,
        ResourceRequirements resources,
        HpaSettings hpa,
        PdbSettings pdb,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity,
        List<EnvVar> env,
        ServiceSettings service,
        Map<String, String> podAnnotations,
        Map<String, String> podLabels,
        String priorityClassName) {
}
