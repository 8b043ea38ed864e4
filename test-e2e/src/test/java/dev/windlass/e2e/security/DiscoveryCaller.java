package dev.windlass.e2e.security;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of the discovery server's TLS port (15012) from outside the mesh, through a port-forward to the
 * discovery pod: it trusts the mesh CA from the root ConfigMap, as a proxy does, and presents whatever token the
 * test gives it, to show what a stolen or borrowed token buys.
 */
public final class DiscoveryCaller implements AutoCloseable {
    private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private final LocalPortForward forward;
    private final ManagedChannel channel;

    /** @param meshNamespace where the discovery server runs; its root ConfigMap is read from {@code appNamespace} */
    public DiscoveryCaller(KubernetesClient client, String meshNamespace, String appNamespace) throws Exception {
        Pod discovery = client.pods().inNamespace(meshNamespace).withLabel("app", "windlass-discovery").list().getItems().getFirst();
        String root = client.configMaps().inNamespace(appNamespace).withName("windlass-ca-root-cert-" + meshNamespace).get()
                .getData().get("root-cert.pem");
        forward = client.pods().inNamespace(meshNamespace).withName(discovery.getMetadata().getName()).portForward(15012);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", forward.getLocalPort())
                .overrideAuthority("windlass-discovery." + meshNamespace + ".svc")
                .sslContext(GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(root.getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    /** A token for the pod's ServiceAccount, audience windlass-ca, bound to that pod: what its kubelet mounts. */
    public static String podToken(KubernetesClient client, Pod pod) {
        return client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getSpec().getServiceAccountName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences("windlass-ca").withExpirationSeconds(600L)
                        .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build())
                .getStatus().getToken();
    }

    /** A sidecar's node id for the pod, as the proxy builds it. */
    public static String nodeId(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return "sidecar~" + pod.getStatus().getPodIP() + "~" + pod.getMetadata().getName() + "." + ns + "~" + ns + ".svc.cluster.local";
    }

    /**
     * Opens an ADS stream as {@code nodeId} with the token (none when null) and asks for clusters.
     *
     * @return OK when configuration came back, else the status the stream ended with
     */
    public Status askForClusters(String token, String nodeId) throws Exception {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse response) {
                        outcome.complete(Status.OK);
                    }

                    @Override
                    public void onError(Throwable t) {
                        outcome.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.complete(Status.UNKNOWN.withDescription("stream completed without a response"));
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(nodeId)).setTypeUrl(CLUSTER_TYPE).build());
        try {
            return outcome.get(20, TimeUnit.SECONDS);
        } finally {
            try {
                requests.onCompleted();
            } catch (IllegalStateException alreadyClosed) {
                // the server ended the stream first
            }
        }
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        forward.close();
    }
}
