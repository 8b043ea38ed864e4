package dev.windlass.proxy.netns;

import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.xds.ResourceType;

import java.util.List;

import static dev.windlass.proxy.testing.Resources.*;

/**
 * The mesh of the network-namespace test, served by a test ADS server running in its own process: service
 * {@code app} (ClusterIP 10.251.0.10, port 80) backed by the server pod 10.251.1.2:8080, and its port 81 backed by
 * a WebSocket app on 10.251.1.2:8081, its port 82 by a gRPC app on 10.251.1.2:8082.
 */
public final class NetnsMesh {
    static final String CLIENT_IP = "10.251.1.1";
    static final String SERVER_IP = "10.251.1.2";
    static final String CLUSTER_IP = "10.251.0.10";
    static final String APP = "outbound|80||app.test.svc.cluster.local";
    /** Port 81 of the service: a WebSocket echo app on the server pod's 8081. */
    static final String WS = "outbound|81||app.test.svc.cluster.local";
    static final int WS_APP_PORT = 8081;
    /** Port 82 of the service: a gRPC echo app (bidirectional streams) on the server pod's 8082, h2c both hops. */
    static final String GRPC = "outbound|82||app.test.svc.cluster.local";
    static final int GRPC_APP_PORT = 8082;

    private NetnsMesh() {
    }

    /** Usage: {@code NetnsMesh PORT}: serves the mesh on 0.0.0.0:PORT, prints "ready", runs until killed. */
    public static void main(String[] args) throws Exception {
        TestAdsServer ads = new TestAdsServer("0.0.0.0", Integer.parseInt(args[0]));
        ads.set(ResourceType.CDS, "1", edsCluster(APP), edsCluster(WS), http2(edsCluster(GRPC)),
                originalDst("PassthroughCluster"), blackHole(), inboundCluster(8080), inboundCluster(WS_APP_PORT),
                http2(inboundCluster(GRPC_APP_PORT)), originalDst("InboundPassthroughCluster"));
        ads.set(ResourceType.EDS, "1", endpoints(APP, "app", SERVER_IP + ":8080"),
                endpoints(WS, "app", SERVER_IP + ":" + WS_APP_PORT), endpoints(GRPC, "app", SERVER_IP + ":" + GRPC_APP_PORT));
        // As Istio: WebSocket upgrades allowed on every HTTP listener.
        ads.set(ResourceType.LDS, "1", virtualOutbound(15001),
                withWebSocket(virtualInbound(15006, List.of(8080, WS_APP_PORT, GRPC_APP_PORT))), withWebSocket(httpListener(80)),
                withWebSocket(httpListener(81)), httpListener(82));
        ads.set(ResourceType.RDS, "1", routes("80", virtualHost("app.test.svc.cluster.local:80", List.of(
                "app.test.svc.cluster.local", "app.test.svc.cluster.local:80", "app", "app:80", CLUSTER_IP,
                CLUSTER_IP + ":80"), APP)), routes("81", virtualHost("app.test.svc.cluster.local:81", List.of(
                "app.test.svc.cluster.local:81", "app:81", CLUSTER_IP + ":81"), WS)), routes("82",
                virtualHost("app.test.svc.cluster.local:82", List.of("app.test.svc.cluster.local:82", "app:82",
                        CLUSTER_IP + ":82"), GRPC)));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
