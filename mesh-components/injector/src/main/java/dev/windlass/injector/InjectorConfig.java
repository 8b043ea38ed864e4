package dev.windlass.injector;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.List;
import java.util.Map;

/**
 * What the injector ConfigMap ({@code windlass-sidecar-injector[-<rev>]}) says: the template (a PodSpec whose
 * init containers, containers and volumes are added to every injected pod) and the values.
 */
public record InjectorConfig(PodSpec template, InjectorValues values) {
    public static final String TEMPLATE_KEY = "template.yaml";
    public static final String VALUES_KEY = "values.yaml";

    public InjectorConfig {
        if (proxyIn(template) == null) {
            throw new IllegalArgumentException(TEMPLATE_KEY + ": no container named " + ProxyImage.PROXY_CONTAINER);
        }
    }

    /**
     * Reads a ConfigMap's data.
     *
     * @throws IllegalArgumentException naming the key, when a key is missing or is not valid YAML of its kind
     */
    public static InjectorConfig parse(Map<String, String> data) {
        PodSpec template = read(data, TEMPLATE_KEY, PodSpec.class);
        InjectorValues values = read(data, VALUES_KEY, InjectorValues.class);
        return new InjectorConfig(template, values);
    }

    /**
     * Whether injected sidecars will hold a workload certificate, so that mesh clients may send them mTLS: the
     * sidecar mounts the CA root it checks the discovery server's TLS port with (a template without it has none).
     */
    public boolean sidecarsHoldCertificates() {
        List<VolumeMount> mounts = proxy().getVolumeMounts() == null ? List.of() : proxy().getVolumeMounts();
        return mounts.stream().anyMatch(m -> MeshIdentity.ROOT_CERT_DIRECTORY.equals(m.getMountPath()));
    }

    public String revision() {
        return values.revision();
    }

    /** The template's sidecar container. */
    Container proxy() {
        return proxyIn(template);
    }

    private static Container proxyIn(PodSpec template) {
        List<Container> containers = template == null || template.getContainers() == null ? List.of() : template.getContainers();
        return containers.stream().filter(c -> ProxyImage.PROXY_CONTAINER.equals(c.getName())).findFirst().orElse(null);
    }

    private static <T> T read(Map<String, String> data, String key, Class<T> type) {
        String text = data == null ? null : data.get(key);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        try {
            T value = InjectorJson.YAML.readValue(text, type);
            if (value == null) {
                throw new IllegalArgumentException(key + ": empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(key + ": not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }
}
