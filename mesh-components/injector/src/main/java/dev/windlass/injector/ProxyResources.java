package dev.windlass.injector;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sidecar's resources: the template's (the mesh config's defaults), each overridden by the pod's
 * {@code sidecar.windlass.dev/proxyCPU}, {@code proxyMemory}, {@code proxyCPULimit} and {@code proxyMemoryLimit}.
 */
final class ProxyResources {
    static final String PREFIX = "sidecar.windlass.dev/";
    private static final Map<String, String[]> ANNOTATIONS = Map.of(
            "proxyCPU", new String[]{"requests", "cpu"},
            "proxyMemory", new String[]{"requests", "memory"},
            "proxyCPULimit", new String[]{"limits", "cpu"},
            "proxyMemoryLimit", new String[]{"limits", "memory"});

    private ProxyResources() {
    }

    /** @throws InjectionException naming the annotation, when its value is not a Kubernetes quantity */
    static void apply(Container proxy, Map<String, String> annotations) {
        ResourceRequirements resources = proxy.getResources() == null ? new ResourceRequirements() : proxy.getResources();
        Map<String, Quantity> requests = new TreeMap<>(orEmpty(resources.getRequests()));
        Map<String, Quantity> limits = new TreeMap<>(orEmpty(resources.getLimits()));
        for (Map.Entry<String, String[]> entry : new TreeMap<>(ANNOTATIONS).entrySet()) {
            String value = annotations.get(PREFIX + entry.getKey());
            if (value != null) {
                String[] target = entry.getValue();
                (target[0].equals("requests") ? requests : limits).put(target[1], quantity(entry.getKey(), value.strip()));
            }
        }
        resources.setRequests(requests.isEmpty() ? null : requests);
        resources.setLimits(limits.isEmpty() ? null : limits);
        proxy.setResources(resources);
    }

    private static Quantity quantity(String annotation, String value) {
        try {
            Quantity quantity = new Quantity(value);
            Quantity.getAmountInBytes(quantity); // validates the number and the suffix
            return quantity;
        } catch (RuntimeException e) { // the model throws several kinds, depending on where the text goes wrong
            throw new InjectionException("annotation " + PREFIX + annotation + "=\"" + value + "\": not a quantity");
        }
    }

    private static Map<String, Quantity> orEmpty(Map<String, Quantity> map) {
        return map == null ? Map.of() : map;
    }
}
