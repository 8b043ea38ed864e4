package dev.windlass.discovery.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.windlass.discovery.model.MeshSettings;

/**
 * Reads the settings the translation needs from {@code mesh.yaml}, as the operator renders it
 * (profiles' MeshConfigMaps): {@code meshConfig.outboundTrafficPolicy.mode} and {@code clusterDomain}.
 * Absent keys take the defaults (ALLOW_ANY, cluster.local); the rest of the file is for other readers.
 */
public final class MeshConfigParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MeshConfigParser() {
    }

    /** @throws IllegalArgumentException naming the key at fault when the file cannot be used */
    public static MeshSettings parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("mesh.yaml is not YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return MeshSettings.DEFAULT;
        }
        String mode = root.path("meshConfig").path("outboundTrafficPolicy").path("mode").asText("ALLOW_ANY");
        MeshSettings.OutboundPolicy policy;
        try {
            policy = MeshSettings.OutboundPolicy.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mesh.yaml: meshConfig.outboundTrafficPolicy.mode must be ALLOW_ANY or REGISTRY_ONLY, got " + mode, e);
        }
        String domain = root.path("clusterDomain").asText(MeshSettings.DEFAULT.clusterDomain());
        return new MeshSettings(policy, domain.isEmpty() ? MeshSettings.DEFAULT.clusterDomain() : domain);
    }
}
