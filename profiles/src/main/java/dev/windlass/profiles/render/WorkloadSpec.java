package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.K8sSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.List;
import java.util.Map;

/** One Deployment's worth of inputs: names, its main container, and the user's k8s settings. */
record WorkloadSpec(String name, String namespace, String component, Map<String, String> selector,
        Map<String, String> extraPodLabels, K8sSettings k8s, Container container, List<Volume> volumes) {
}
