package dev.windlass.proxy.testing;

import dev.windlass.proxy.xds.ResourceType;

import java.util.List;

import static dev.windlass.proxy.testing.Resources.*;

/**
 * A small mesh as the discovery server would describe it: service {@code reviews} (ClusterIP 10.0.0.10, HTTP port
 * 80) with the given endpoints, a TCP service {@code db} on 5432, the virtual listeners, and an inbound HTTP
 * port for the app.
 */
public final class TestMesh {
    public static final String REVIEWS = "outbound|80||reviews.test.svc.cluster.local";
    public static final String DB = "outbound|5432||db.test.svc.cluster.local";
    public static final String CLUSTER_IP = "10.0.0.10";

    private TestMesh() {
    }

    public static void serveClustersAndListeners(TestAdsServer ads, String version, int appPort) {
        ads.set(ResourceType.CDS, version, edsCluster(REVIEWS), edsCluster(DB), originalDst("PassthroughCluster"),
                blackHole(), inboundCluster(appPort), originalDst("InboundPassthroughCluster"));
        ads.set(ResourceType.LDS, version, virtualOutbound(15001), virtualInbound(15006, List.of(appPort)),
                httpListener(80), tcpListener(5432, DB));
    }

    /** The inbound side alone: the virtual inbound listener, and an HTTP app port whose inbound cluster speaks h2c. */
    public static void serveH2cInbound(TestAdsServer ads, String version, int appPort) {
        ads.set(ResourceType.CDS, version, http2(inboundCluster(appPort)), originalDst("InboundPassthroughCluster"));
        ads.set(ResourceType.LDS, version, virtualInbound(15006, List.of(appPort)));
    }

    /** The inbound side alone, with two HTTP app ports: one whose inbound cluster speaks h2c, one HTTP/1.1. */
    public static void serveInbound(TestAdsServer ads, String version, int h2cAppPort, int http1AppPort) {
        ads.set(ResourceType.CDS, version, http2(inboundCluster(h2cAppPort)), inboundCluster(http1AppPort),
                originalDst("InboundPassthroughCluster"));
        ads.set(ResourceType.LDS, version, virtualInbound(15006, List.of(h2cAppPort, http1AppPort)));
    }

    public static void serveRoutes(TestAdsServer ads, String version) {
        ads.set(ResourceType.RDS, version, routes("80", virtualHost("reviews.test.svc.cluster.local:80",
                List.of("reviews.test.svc.cluster.local", "reviews.test.svc.cluster.local:80", "reviews", "reviews:80",
                        CLUSTER_IP, CLUSTER_IP + ":80"), REVIEWS)));
    }

    public static void serveEndpoints(TestAdsServer ads, String version, List<String> reviews, List<String> db) {
        ads.set(ResourceType.EDS, version, endpoints(REVIEWS, "reviews-v1", reviews.toArray(String[]::new)),
                endpoints(DB, "db", db.toArray(String[]::new)));
    }

    public static void serveAll(TestAdsServer ads, String version, int appPort, List<String> reviews, List<String> db) {
        serveClustersAndListeners(ads, version, appPort);
        serveRoutes(ads, version);
        serveEndpoints(ads, version, reviews, db);
    }
}
