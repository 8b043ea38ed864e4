package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The proxies running in the cluster and the mesh version each runs, read from the injected pods: the tag of
 * their {@code windlass-proxy} container's image. Finished pods (a Job's) do not count.
 */
record DataPlaneVersions(List<Proxy> proxies) {
    static final String SIDECAR_STATUS = "sidecar.windlass.dev/status";

    record Proxy(String namespace, String pod, String version) {
    }

    static DataPlaneVersions read(KubernetesClient client) {
        List<Proxy> proxies = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(DataPlaneVersions::injectedAndRunning)
                .map(p -> new Proxy(p.getMetadata().getNamespace(), p.getMetadata().getName(), proxyVersion(p)))
                .toList();
        return new DataPlaneVersions(proxies);
    }

    /** Counts per version, newest first, as {@code windlass version} prints them: {@code 0.2.0 (3 proxies)}. */
    String summary() {
        if (proxies.isEmpty()) {
            return "no proxies";
        }
        Map<String, Long> counts = proxies.stream().collect(Collectors.groupingBy(Proxy::version,
                () -> new TreeMap<String, Long>(Comparator.reverseOrder()), Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " proxy)" : " proxies)"))
                .collect(Collectors.joining(", "));
    }

    private static boolean injectedAndRunning(Pod pod) {
        Map<String, String> annotations = Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of());
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return annotations.containsKey(SIDECAR_STATUS) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static String proxyVersion(Pod pod) {
        return pod.getSpec().getContainers().stream().filter(c -> "windlass-proxy".equals(c.getName()))
                .map(Container::getImage).map(DataPlaneVersions::tag).findFirst().orElse("unknown");
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "unknown";
    }
}
