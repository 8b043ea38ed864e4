package dev.windlass.injector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Istio's per-pod proxy settings, the annotation {@code proxy.istio.io/config} (a ProxyConfig in YAML or JSON),
 * over the mesh's defaults. Windlass honours {@code holdApplicationUntilProxyStarts} only; any other field is
 * refused by name, since injecting the pod while ignoring it would look as if it had worked.
 */
final class ProxyConfigAnnotation {
    static final String NAME = "proxy.istio.io/config";
    static final String HOLD_APPLICATION = "holdApplicationUntilProxyStarts";

    private ProxyConfigAnnotation() {
    }

    /**
     * Whether the app containers wait for the proxy: the annotation's value if it sets one, else the mesh's.
     *
     * @throws InjectionException naming the annotation, when it is not a map of supported fields
     */
    static boolean holdApplication(Map<String, String> annotations, boolean meshDefault) {
        String text = annotations.get(NAME);
        if (text == null || text.isBlank()) {
            return meshDefault;
        }
        JsonNode config = parse(text);
        for (Map.Entry<String, JsonNode> field : config.properties()) {
            if (!field.getKey().equals(HOLD_APPLICATION)) {
                throw new InjectionException("annotation " + NAME + ": not supported by Windlass: " + field.getKey()
                        + " (only " + HOLD_APPLICATION + " is)");
            }
            if (!field.getValue().isBoolean()) {
                throw new InjectionException("annotation " + NAME + ": " + HOLD_APPLICATION + " must be true or false, got "
                        + field.getValue());
            }
        }
        JsonNode hold = config.get(HOLD_APPLICATION);
        return hold == null ? meshDefault : hold.booleanValue();
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode config = InjectorJson.YAML.readTree(text);
            if (config == null || !config.isObject()) {
                throw new InjectionException("annotation " + NAME + ": expected a map of proxy settings, got \"" + text.strip() + "\"");
            }
            return config;
        } catch (JsonProcessingException e) {
            throw new InjectionException("annotation " + NAME + ": not YAML or JSON: " + e.getOriginalMessage());
        }
    }
}
