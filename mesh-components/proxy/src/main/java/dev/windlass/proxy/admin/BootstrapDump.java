package dev.windlass.proxy.admin;

import dev.windlass.contract.MeshPorts;
import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.XdsChannels;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

/**
 * The bootstrap of {@code /config_dump}, as Envoy's: the node the proxy presents, its admin address, and ADS over
 * gRPC to the discovery server ({@code xds-grpc}, Istio's name for it) as the source of every dynamic resource.
 */
final class BootstrapDump {
    static final String XDS_CLUSTER = "xds-grpc";

    private BootstrapDump() {
    }

    static Bootstrap of(ProxyOptions options) {
        ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
        return Bootstrap.newBuilder().setNode(XdsChannels.node(options))
                .setAdmin(Admin.newBuilder().setAddress(address(options.adminHost(), options.ports().admin())))
                .setDynamicResources(Bootstrap.DynamicResources.newBuilder().setLdsConfig(ads).setCdsConfig(ads)
                        .setAdsConfig(ApiConfigSource.newBuilder().setApiType(ApiConfigSource.ApiType.GRPC)
                                .setTransportApiVersion(ApiVersion.V3)
                                .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(
                                        GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER)))))
                .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(
                        Cluster.newBuilder().setName(XDS_CLUSTER)
                                .setLoadAssignment(xdsEndpoint(options.discoveryAddress()))))
                .build();
    }

    private static ClusterLoadAssignment xdsEndpoint(String discoveryAddress) {
        int colon = discoveryAddress.lastIndexOf(':');
        String host = colon < 0 ? discoveryAddress : discoveryAddress.substring(0, colon);
        int port = colon < 0 ? MeshPorts.XDS_PLAINTEXT : Integer.parseInt(discoveryAddress.substring(colon + 1));
        return ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
                .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(
                        LbEndpoint.newBuilder().setEndpoint(
                                Endpoint.newBuilder().setAddress(address(host, port)))))
                .build();
    }

    private static Address address(String host, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
    }
}
