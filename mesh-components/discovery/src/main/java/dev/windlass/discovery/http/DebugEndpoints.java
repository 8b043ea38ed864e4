package dev.windlass.discovery.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.ads.Connections;
import dev.windlass.discovery.ads.SyncStatus;
import dev.windlass.discovery.xds.ProxyResources;
import dev.windlass.discovery.xds.XdsJson;
import dev.windlass.discovery.xds.XdsType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The debug port's pages (8080): {@code /ready} for the kubelet's probes, {@code /debug/syncz} and
 * {@code /debug/config_dump?proxyID=} for people, both JSON.
 */
public final class DebugEndpoints {
    private DebugEndpoints() {
    }

    /** @param notReady why the server is not ready yet, or empty once it is */
    public static Map<String, HttpEndpoints.Handler> handlers(Supplier<Optional<String>> notReady, Connections connections) {
        Map<String, HttpEndpoints.Handler> handlers = new LinkedHashMap<>();
        handlers.put("/ready", q -> notReady.get()
                .map(why -> HttpEndpoints.Response.text(503, "not ready: " + why + "\n"))
                .orElse(HttpEndpoints.Response.text(200, "ready\n")));
        handlers.put("/debug/syncz", q -> HttpEndpoints.Response.json(200, XdsJson.pretty(syncz(connections))));
        handlers.put("/debug/config_dump", q -> configDump(connections, q.get("proxyID")));
        return handlers;
    }

    /** Ready means: the informers have their first lists, and the gRPC server listens. */
    public static Supplier<Optional<String>> readiness(BooleanSupplier synced, BooleanSupplier serving) {
        return () -> !synced.getAsBoolean() ? Optional.of("informers not synced")
                : !serving.getAsBoolean() ? Optional.of("xDS server not started") : Optional.empty();
    }

    static ArrayNode syncz(Connections connections) {
        ArrayNode proxies = XdsJson.MAPPER.createArrayNode();
        for (SyncStatus status : connections.status()) {
            ObjectNode proxy = proxies.addObject();
            proxy.put("proxy", status.nodeId());
            proxy.put("stream", status.streamId());
            proxy.put("connected_at", status.connectedAt().toString());
            proxy.put("authenticated_as", status.caller());
            ObjectNode types = proxy.putObject("types");
            status.types().forEach((type, s) -> typeStatus(types.putObject(type.typeUrl()), s));
        }
        return proxies;
    }

    private static void typeStatus(ObjectNode node, SyncStatus.TypeStatus s) {
        node.put("version_sent", s.versionSent());
        node.put("version_acked", s.versionAcked());
        node.put("nonce_sent", s.nonceSent());
        node.put("nonce_acked", s.nonceAcked());
        node.put("synced", s.versionSent().equals(s.versionAcked()));
        node.put("status", s.state());
        if (s.lastNack() != null) {
            ObjectNode nack = node.putObject("last_nack");
            nack.put("version", s.lastNack().version());
            nack.put("message", s.lastNack().message());
            nack.put("at", s.lastNack().at().toString());
        }
    }

    private static HttpEndpoints.Response configDump(Connections connections, String proxyId) {
        if (proxyId == null || proxyId.isEmpty()) {
            return HttpEndpoints.Response.text(400, "proxyID is required: a node id, or pod.namespace\n");
        }
        Optional<ProxyResources> resources = connections.resources(proxyId);
        if (resources.isEmpty()) {
            return HttpEndpoints.Response.text(404, "no connected proxy " + proxyId + "\n");
        }
        ObjectNode dump = XdsJson.MAPPER.createObjectNode().put("proxy", proxyId);
        dump.setAll(XdsJson.toJson(resources.get()));
        return HttpEndpoints.Response.json(200, XdsJson.pretty(dump));
    }

    /** Used by the syncz page's type labels in tests and docs. */
    static String label(XdsType type) {
        return XdsJson.label(type);
    }
}
