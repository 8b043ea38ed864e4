package dev.windlass.injector;

import dev.windlass.contract.MeshPorts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends the app's HTTP probes through the proxy, as Istio does: inbound capture would otherwise hand the kubelet's
 * probe to the proxy's inbound listener. Each HTTP liveness, readiness and startup probe becomes
 * {@code GET :15020/app-health/<container>/livez|readyz|startupz}; the original target goes to the proxy in
 * {@code WINDLASS_KUBE_APP_PROBERS} (JSON, path → {httpGet, timeoutSeconds}), and the proxy probes
 * 127.0.0.1:port from inside the pod. HTTPS probes, and probes on a named port the container does not declare,
 * are left alone.
 */
final class ProbeRewriter {
    private final Map<String, Object> probers = new TreeMap<>();

    /** Rewrites the container's probes in place. */
    void rewrite(Container container) {
        rewrite(container, "livez", Container::getLivenessProbe);
        rewrite(container, "readyz", Container::getReadinessProbe);
        rewrite(container, "startupz", Container::getStartupProbe);
    }

    /** The proxy's env value, or null when no probe was rewritten. */
    String probersJson() {
        return probers.isEmpty() ? null : InjectorJson.json(probers);
    }

    private void rewrite(Container container, String kind, Function<Container, Probe> probeOf) {
        Probe probe = probeOf.apply(container);
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null || (get.getScheme() != null && !"HTTP".equalsIgnoreCase(get.getScheme()))) {
            return;
        }
        Integer port = portNumber(get.getPort(), container.getPorts());
        if (port == null) {
            return;
        }
        String path = "/app-health/" + container.getName() + "/" + kind;
        probers.put(path, original(get, port, probe.getTimeoutSeconds()));
        probe.setHttpGet(new HTTPGetAction(null, null, path, new IntOrString(MeshPorts.PROXY_STATUS), "HTTP"));
    }

    private static Map<String, Object> original(HTTPGetAction get, int port, Integer timeoutSeconds) {
        Map<String, Object> httpGet = new LinkedHashMap<>();
        httpGet.put("path", get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath());
        httpGet.put("port", port);
        httpGet.put("scheme", "HTTP");
        ifPresent(get.getHttpHeaders(), headers -> httpGet.put("httpHeaders", headers));
        Map<String, Object> prober = new LinkedHashMap<>();
        prober.put("httpGet", httpGet);
        prober.put("timeoutSeconds", timeoutSeconds == null ? 1 : timeoutSeconds);
        return prober;
    }

    private static <T> void ifPresent(List<T> list, Consumer<List<T>> use) {
        if (list != null && !list.isEmpty()) {
            use.accept(list);
        }
    }

    /** A numeric port, or a named one looked up among the container's ports; null when it cannot be resolved. */
    static Integer portNumber(IntOrString port, List<ContainerPort> ports) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return (ports == null ? List.<ContainerPort>of() : ports).stream()
                .filter(p -> Objects.equals(p.getName(), port.getStrVal()))
                .map(ContainerPort::getContainerPort).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
