package dev.windlass.injector;

import dev.windlass.contract.Labels;
import dev.windlass.contract.ProxyImage;
import dev.windlass.contract.Revisions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The proxies running in the cluster and the mesh version each runs, read from the injected pods: the tag of
 * their {@code windlass-proxy} container's image, and the revision that injected them. Finished pods (a Job's)
 * do not count. The CLI's {@code version --remote} and {@code precheck}, and the operator's status, all count here.
 */
public record DataPlaneVersions(List<Proxy> proxies) {
    public DataPlaneVersions {
        proxies = List.copyOf(proxies);
    }

    public record Proxy(String namespace, String pod, String version, String revision) {
    }

    /** The injected, unfinished pods among these. */
    public static DataPlaneVersions of(List<Pod> pods) {
        return new DataPlaneVersions(pods.stream().filter(DataPlaneVersions::injectedAndRunning)
                .map(p -> new Proxy(p.getMetadata().getNamespace(), p.getMetadata().getName(), proxyVersion(p), revision(p)))
                .toList());
    }

    public DataPlaneVersions filter(Predicate<Proxy> which) {
        return new DataPlaneVersions(proxies.stream().filter(which).toList());
    }

    /** Proxies per version, newest version first. */
    public Map<String, Long> counts() {
        return proxies.stream().collect(Collectors.groupingBy(Proxy::version,
                () -> new TreeMap<String, Long>(Comparator.reverseOrder()), Collectors.counting()));
    }

    /** Counts per version, newest first, as {@code windlass version} prints them: {@code 0.2.0 (3 proxies)}. */
    public String summary() {
        if (proxies.isEmpty()) {
            return "no proxies";
        }
        return counts().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " proxy)" : " proxies)"))
                .collect(Collectors.joining(", "));
    }

    /** Whether this pod carries an injected proxy and has not finished. */
    public static boolean injectedAndRunning(Pod pod) {
        Map<String, String> annotations = Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of());
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return annotations.containsKey(InjectionNames.STATUS_ANNOTATION) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static String revision(Pod pod) {
        Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
        return Revisions.orDefault(labels.get(Labels.REVISION));
    }

    private static String proxyVersion(Pod pod) {
        return pod.getSpec().getContainers().stream().filter(c -> ProxyImage.PROXY_CONTAINER.equals(c.getName()))
                .map(Container::getImage).map(DataPlaneVersions::tag).findFirst().orElse("unknown");
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "unknown";
    }
}
