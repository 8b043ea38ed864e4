package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code windlass proxy-status}'s table, as istioctl prints it: one row per connected proxy with the status of each
 * xDS type (SYNCED, STALE, NOT SENT), read from the {@code /debug/syncz} of every discovery pod.
 */
final class ProxyStatusTable {
    private static final String TYPE_PREFIX = "type.googleapis.com/envoy.";
    private static final List<String> TYPES = List.of(
            TYPE_PREFIX + "config.cluster.v3.Cluster", TYPE_PREFIX + "config.listener.v3.Listener",
            TYPE_PREFIX + "config.endpoint.v3.ClusterLoadAssignment", TYPE_PREFIX + "config.route.v3.RouteConfiguration");

    private ProxyStatusTable() {
    }

    record Row(String name, List<String> states, String discovery) {
    }

    /** @param synczByPod each discovery pod's name and its /debug/syncz page */
    static List<Row> rows(Map<String, String> synczByPod) {
        List<Row> rows = new ArrayList<>();
        synczByPod.forEach((pod, page) -> parse(pod, page).forEach(proxy -> rows.add(row(proxy, pod))));
        rows.sort(Comparator.comparing(Row::name).thenComparing(Row::discovery));
        return rows;
    }

    /** The rows of the proxies in {@code namespace}; all of them when it is null. */
    static List<Row> inNamespace(List<Row> rows, String namespace) {
        return namespace == null ? rows : rows.stream().filter(r -> r.name().endsWith("." + namespace)).toList();
    }

    static String render(List<Row> rows) {
        ProxyConfigTable table = ProxyConfigTable.of("NAME", "CDS", "LDS", "EDS", "RDS", "DISCOVERY");
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.name()));
            cells.addAll(r.states());
            cells.add(r.discovery());
            table = table.withRow(cells.toArray(String[]::new));
        }
        return table.render();
    }

    private static Row row(JsonNode proxy, String discoveryPod) {
        List<String> states = TYPES.stream()
                .map(type -> proxy.path("types").path(type).path("status").asText("NOT SENT")).toList();
        return new Row(podId(proxy.path("proxy").asText()), states, discoveryPod);
    }

    /** {@code sidecar~10.0.0.1~web-0.shop~shop.svc.cluster.local} is shown as {@code web-0.shop}, as istioctl does. */
    static String podId(String nodeId) {
        String[] parts = nodeId.split("~", -1);
        return parts.length == 4 ? parts[2] : nodeId;
    }

    private static JsonNode parse(String pod, String page) {
        JsonNode root = ProxyStatusDiff.json(page, "the /debug/syncz of discovery pod " + pod);
        if (!root.isArray()) {
            throw new IllegalArgumentException("the /debug/syncz of discovery pod " + pod + " is not a JSON list");
        }
        return root;
    }
}
