package dev.windlass.proxy.config;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.MeshTls;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;

/**
 * ClusterLoadAssignment (EDS, or a cluster's own load_assignment) to endpoints, with their priority and locality,
 * and the {@code tlsMode} of their transport socket match metadata (whether a sidecar takes mesh mTLS there).
 */
public final class EndpointTranslator {
    private EndpointTranslator() {
    }

    public static List<UpstreamEndpoint> endpoints(ClusterLoadAssignment assignment) throws InvalidConfigException {
        List<UpstreamEndpoint> endpoints = new ArrayList<>();
        for (int group = 0; group < assignment.getEndpointsCount(); group++) {
            LocalityLbEndpoints locality = assignment.getEndpoints(group);
            int weight = locality.hasLoadBalancingWeight() ? locality.getLoadBalancingWeight().getValue() : 0;
            for (LbEndpoint lb : locality.getLbEndpointsList()) {
                endpoints.add(endpoint(assignment.getClusterName(), lb, locality.getPriority(), group, weight));
            }
        }
        return endpoints;
    }

    private static UpstreamEndpoint endpoint(String cluster, LbEndpoint lb, int priority, int group, int weight)
            throws InvalidConfigException {
        SocketAddress socket = lb.getEndpoint().getAddress().getSocketAddress();
        if (socket.getAddress().isEmpty() || socket.getPortValue() <= 0 || socket.getPortValue() > 65535) {
            throw new InvalidConfigException("endpoints of " + cluster + ": endpoint without a socket address and port");
        }
        HealthStatus health = lb.getHealthStatus();
        boolean usable = health == HealthStatus.UNKNOWN || health == HealthStatus.HEALTHY;
        Struct istio = lb.getMetadata().getFilterMetadataMap().get("istio");
        String workload = field(istio, "workload");
        String namespace = field(istio, "namespace");
        // Istio itself packs "name;namespace;canonical-name;revision;cluster" into workload.
        if (workload != null && workload.indexOf(';') >= 0) {
            String[] parts = workload.split(";", -1);
            workload = parts[0].isEmpty() ? null : parts[0];
            if (namespace == null && parts.length > 1 && !parts[1].isEmpty()) {
                namespace = parts[1];
            }
        }
        Struct transport = lb.getMetadata().getFilterMetadataMap().get(MeshTls.TRANSPORT_SOCKET_MATCH);
        return new UpstreamEndpoint(socket.getAddress(), socket.getPortValue(), usable, workload, namespace,
                field(istio, "version"), priority, group, weight).withTlsMode(field(transport, MeshTls.TLS_MODE_KEY));
    }

    private static String field(Struct struct, String name) {
        if (struct == null) {
            return null;
        }
        Value value = struct.getFieldsMap().get(name);
        return value == null || value.getStringValue().isEmpty() ? null : value.getStringValue();
    }
}
