package dev.windlass.contract;

import java.util.List;

/** The type URLs of the four xDS resource types the discovery server serves and the proxy subscribes to. */
public final class XdsTypeUrls {
    public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    /** In the order Envoy wants them pushed. */
    public static final List<String> ALL = List.of(CDS, EDS, LDS, RDS);

    private XdsTypeUrls() {
    }
}
