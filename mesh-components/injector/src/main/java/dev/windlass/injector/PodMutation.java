package dev.windlass.injector;

import dev.windlass.contract.EnvVars;
import dev.windlass.contract.Labels;
import dev.windlass.contract.MeshTls;
import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.windlass.contract.ProxyImage.INIT_CONTAINER;

/**
 * Adds the template to one pod. windlass-init goes after the pod's own init containers, so that those still have
 * an uncaptured network (nothing would answer on 15001 before the proxy runs). The proxy goes after the app's
 * containers, so that {@code kubectl logs} and {@code exec} keep picking the app by default; with
 * holdApplicationUntilProxyStarts it goes first instead, with a postStart hook that returns once the proxy is
 * ready: the kubelet starts containers in order and the next only after the previous one's hook, so the app's
 * first connection always finds the proxy listening and configured (the default-container annotation still names
 * the app).
 */
final class PodMutation {
    private final InjectorConfig config;

    PodMutation(InjectorConfig config) {
        this.config = config;
    }

    /** The injected copy of {@code original}; {@code original} is not touched. */
    Pod apply(Pod original) {
        Pod pod = InjectorJson.copy(original, Pod.class);
        PodSpec spec = pod.getSpec();
        Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
        PodSpec template = InjectorJson.copy(config.template(), PodSpec.class);

        List<Container> inits = orEmpty(template.getInitContainers());
        inits.stream().filter(c -> INIT_CONTAINER.equals(c.getName())).forEach(c -> TrafficEnv.apply(c, annotations));
        Container proxy = template.getContainers().stream()
                .filter(c -> ProxyImage.PROXY_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        ProxyResources.apply(proxy, annotations);
        boolean hold = ProxyConfigAnnotation.holdApplication(annotations, config.values().holdApplicationUntilProxyStarts());
        if (hold) {
            proxy.setLifecycle(new LifecycleBuilder().withNewPostStart().withNewExec().withCommand(ProxyImage.WAIT_COMMAND)
                    .endExec().endPostStart().build());
        }
        String probers = rewriteProbes(spec, annotations);
        if (probers != null) {
            List<EnvVar> env = new ArrayList<>(orEmpty(proxy.getEnv()));
            env.add(new EnvVar(EnvVars.APP_PROBERS, probers, null));
            proxy.setEnv(env);
        }

        String firstApp = spec.getContainers().isEmpty() ? null : spec.getContainers().get(0).getName();
        spec.setInitContainers(concat(spec.getInitContainers(), inits));
        spec.setContainers(hold ? concat(template.getContainers(), spec.getContainers())
                : concat(spec.getContainers(), template.getContainers()));
        spec.setVolumes(concat(spec.getVolumes(), template.getVolumes()));
        label(pod.getMetadata(), firstApp, status(template));
        return pod;
    }

    private String rewriteProbes(PodSpec spec, Map<String, String> annotations) {
        boolean enabled = config.values().rewriteAppHTTPProbes();
        String annotation = annotations.get(InjectionNames.REWRITE_PROBES_ANNOTATION);
        if (annotation != null) {
            enabled = !"false".equals(annotation);
        }
        if (!enabled) {
            return null;
        }
        ProbeRewriter rewriter = new ProbeRewriter();
        spec.getContainers().forEach(rewriter::rewrite);
        return rewriter.probersJson();
    }

    private void label(ObjectMeta meta, String firstApp, String status) {
        Map<String, String> labels = new TreeMap<>(orEmpty(meta.getLabels()));
        labels.put(Labels.REVISION, config.revision());
        if (config.sidecarsHoldCertificates()) {
            labels.put(MeshTls.POD_LABEL, MeshTls.POD_LABEL_VALUE);
        }
        meta.setLabels(labels);
        Map<String, String> annotations = new TreeMap<>(orEmpty(meta.getAnnotations()));
        annotations.put(InjectionNames.STATUS_ANNOTATION, status);
        if (firstApp != null) {
            annotations.putIfAbsent(InjectionNames.DEFAULT_CONTAINER_ANNOTATION, firstApp);
        }
        meta.setAnnotations(annotations);
    }

    /** The status annotation: what was added (Istio's sidecar.istio.io/status, keys sorted), to recognise it later. */
    private String status(PodSpec template) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("initContainers", orEmpty(template.getInitContainers()).stream().map(Container::getName).toList());
        status.put("containers", template.getContainers().stream().map(Container::getName).toList());
        status.put("volumes", orEmpty(template.getVolumes()).stream().map(Volume::getName).toList());
        status.put("revision", config.revision());
        return InjectorJson.json(status);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(orEmpty(first));
        all.addAll(orEmpty(second));
        return all;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? new ArrayList<>() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
