package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code proxy-config clusters}: Istio's cluster names ({@code direction|port|subset|fqdn}) taken apart, the
 * discovery type, and the DestinationRule the cluster came from when its metadata says so. Other clusters
 * (PassthroughCluster, BlackHoleCluster) are shown by name.
 */
final class ProxyConfigClusters {
    private ProxyConfigClusters() {
    }

    static ProxyConfigTable table(ProxyConfigDump dump) {
        ProxyConfigTable table = ProxyConfigTable.of("SERVICE-FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION-RULE");
        for (JsonNode cluster : dump.clusters()) {
            String name = cluster.path("name").asText();
            String[] parts = name.split("\\|", -1);
            String type = type(cluster);
            String rule = istioConfig(cluster);
            if (parts.length == 4) {
                table = table.withRow(parts[3], parts[1], dash(parts[2]), parts[0], type, rule);
            } else {
                table = table.withRow(name, "-", "-", "-", type, rule);
            }
        }
        return table;
    }

    /** The cluster's discovery type; STATIC, the proto default, is left out of the JSON. */
    static String type(JsonNode cluster) {
        if (cluster.has("cluster_type")) {
            return cluster.path("cluster_type").path("name").asText();
        }
        return cluster.path("type").asText("STATIC");
    }

    /**
     * {@code name.namespace} of the Istio config a resource came from ({@code filter_metadata.istio.config}, a path
     * ending in {@code namespaces/NS/KIND/NAME}), or {@code -}.
     */
    static String istioConfig(JsonNode resource) {
        String config = resource.path("metadata").path("filter_metadata").path("istio").path("config").asText("");
        String[] parts = config.split("/");
        if (parts.length >= 4 && parts[parts.length - 4].equals("namespaces")) {
            return parts[parts.length - 1] + "." + parts[parts.length - 3];
        }
        return "-";
    }

    private static String dash(String value) {
        return value.isEmpty() ? "-" : value;
    }
}
