package dev.windlass.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.api.v1alpha1.Unsupported;
import dev.windlass.contract.EnvVars;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses, offline, the settings the apiserver's CEL rules refuse ({@link Unsupported}: the schema check leaves CEL
 * out), and proxyMetadata names that would clash with what the renderer sets. A layer is checked on its own, so
 * the error names the file or flag it came from.
 */
final class UnsupportedSettings {
    static final String PROXY_METADATA = "meshConfig.defaultConfig.proxyMetadata";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private UnsupportedSettings() {
    }

    static void check(String source, JsonNode layer) {
        JsonNode sampling = layer.path("meshConfig").path("tracing").path("sampling");
        if (sampling.isNumber() && sampling.asDouble() != 0) {
            throw new ValuesException(source, "", Unsupported.TRACING_SAMPLING);
        }
        if (layer.path("components").path("discovery").path("k8s").has("service")) {
            throw new ValuesException(source, "", Unsupported.DISCOVERY_SERVICE);
        }
        JsonNode experimental = layer.path("values").path("experimental");
        if (experimental.isObject() && !experimental.isEmpty()) {
            throw new ValuesException(source, "", Unsupported.EXPERIMENTAL);
        }
        for (Map.Entry<String, JsonNode> entry : layer.path("meshConfig").path("defaultConfig").path("proxyMetadata").properties()) {
            checkProxyMetadata(source, entry.getKey());
        }
    }

    private static void checkProxyMetadata(String source, String name) {
        String path = PROXY_METADATA + "." + name;
        if (!ENV_NAME.matcher(name).matches()) {
            throw new ValuesException(source, path, "not an environment variable name (letters, digits and _, not first a digit)");
        }
        if (EnvVars.PROXY_SETTINGS.contains(name)) {
            throw new ValuesException(source, path, "Windlass sets " + name + " itself, from the mesh's typed settings; set those instead");
        }
    }
}
