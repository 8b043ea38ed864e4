package dev.windlass.bench.ads;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.XdsTypeUrls;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One simulated sidecar on its own connection: the ADS protocol as the proxy's {@code AdsClient} speaks it (CDS and
 * LDS wildcard, then EDS for the EDS clusters and RDS for the routes the listeners name; every response ACKed with
 * its version and nonce), without applying any configuration. Tells its {@link AdsFleet} about every ACK.
 */
final class SimulatedProxy implements StreamObserver<DiscoveryResponse> {
    static final int PROXIES_PER_NAMESPACE = 10;
    private final int index;
    private final Node node;
    private final AdsFleet fleet;
    private final Map<String, String> versions = new HashMap<>();
    private final Map<String, String> nonces = new HashMap<>();
    private final Map<String, Set<String>> subscriptions = new HashMap<>();
    private StreamObserver<DiscoveryRequest> requests;
    private boolean nodeSent;
    private boolean complete;

    SimulatedProxy(int index, AdsFleet fleet) {
        this.index = index;
        this.fleet = fleet;
        this.node = node(index);
    }

    int index() {
        return index;
    }

    /**
     * The proxy's identity. Proxies come {@value #PROXIES_PER_NAMESPACE} to a namespace ({@code bench-0}, ...), none
     * with a pod, so the discovery server sees as many distinct proxies (shapes) as namespaces, as it would a mesh
     * of Deployments with that many replicas; with all in one namespace it would translate once for the whole fleet.
     */
    private static Node node(int index) {
        String ip = "10.254." + (index / 250) + "." + (index % 250 + 1);
        String pod = "sim-" + index + "-5d8f7c9b4d-x7k2p";
        String namespace = "bench-" + index / PROXIES_PER_NAMESPACE;
        Struct metadata = Struct.newBuilder().putFields("NAMESPACE", text(namespace)).putFields("NAME", text(pod))
                .putFields("INSTANCE_IPS", text(ip)).putFields("WORKLOAD_NAME", text("sim-" + index))
                .putFields("PROXY_TYPE", text("sidecar")).build();
        return Node.newBuilder().setId("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
                .setCluster("sim-" + index + "." + namespace).setUserAgentName("windlass-bench").setMetadata(metadata).build();
    }

    private static Value text(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    synchronized void connect(ManagedChannel channel) {
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
        send(XdsTypeUrls.CDS, "", Set.of());
        send(XdsTypeUrls.LDS, "", Set.of());
    }

    @Override
    public synchronized void onNext(DiscoveryResponse response) {
        String type = response.getTypeUrl();
        versions.put(type, response.getVersionInfo());
        nonces.put(type, response.getNonce());
        send(type, response.getNonce(), subscriptions.getOrDefault(type, Set.of()));
        if (type.equals(XdsTypeUrls.CDS)) {
            subscribe(XdsTypeUrls.EDS, fleet.names(XdsTypeUrls.EDS, response));
        } else if (type.equals(XdsTypeUrls.LDS)) {
            subscribe(XdsTypeUrls.RDS, fleet.names(XdsTypeUrls.RDS, response));
        }
        fleet.acked(this, type, response.getVersionInfo());
        if (!complete && versions.keySet().containsAll(XdsTypeUrls.ALL)) {
            complete = true;
            fleet.complete(this);
        }
    }

    private void subscribe(String type, Set<String> names) {
        if (!names.equals(subscriptions.get(type)) && !names.isEmpty()) {
            send(type, nonces.getOrDefault(type, ""), names);
        }
    }

    private void send(String type, String nonce, Set<String> names) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(type)
                .setVersionInfo(versions.getOrDefault(type, "")).setResponseNonce(nonce).addAllResourceNames(names);
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        subscriptions.put(type, Set.copyOf(names));
        requests.onNext(request.build());
    }

    synchronized String version(String type) {
        return versions.get(type);
    }

    @Override
    public void onError(Throwable error) {
        fleet.streamEnded(this, error);
    }

    @Override
    public void onCompleted() {
        fleet.streamEnded(this, null);
    }

    synchronized void close() {
        if (requests != null) {
            requests.onCompleted();
        }
    }
}
