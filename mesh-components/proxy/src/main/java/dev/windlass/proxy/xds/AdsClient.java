package dev.windlass.proxy.xds;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.TlsBinder;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * State-of-the-world ADS client, in Envoy's order: CDS and LDS as wildcards, then EDS for the EDS clusters and RDS
 * for the routes the listeners name. Each response is ACKed (version_info + response_nonce) or NACKed (last good
 * version + error_detail), and only an accepted one replaces the snapshot. All state lives on one thread (the
 * gRPC callbacks run on it too); when the stream breaks it reconnects with capped exponential backoff and
 * re-subscribes with the versions it has.
 */
public final class AdsClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final Node node;
    private final ConfigStore store;
    private final ScheduledExecutorService executor;
    private final Duration initialFetchTimeout;
    private final XdsState state;
    private final Backoff backoff = new Backoff(500, 15_000);
    private final Map<ResourceType, String> nonces = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, Set<String>> subscribed = new EnumMap<>(ResourceType.class);
    private StreamObserver<DiscoveryRequest> requests;
    private boolean nodeSent;
    private int generation;
    private volatile boolean closed;

    public AdsClient(ManagedChannel channel, Node node, ConfigStore store, ScheduledExecutorService executor,
                     Duration initialFetchTimeout, TlsBinder tls) {
        this.state = new XdsState(tls);
        this.channel = channel;
        this.node = node;
        this.store = store;
        this.executor = executor;
        this.initialFetchTimeout = initialFetchTimeout;
    }

    public void start() {
        executor.execute(this::connect);
        executor.schedule(this::initialFetchTimedOut, initialFetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connect() {
        if (closed) {
            return;
        }
        int stream = ++generation;
        nonces.clear();
        subscribed.clear();
        nodeSent = false;
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new Responses(stream));
        // A reconnecting proxy names what it has, so the server can tell it is not new; the server sends it all.
        send(ResourceType.CDS, "", Set.of(), null);
        send(ResourceType.LDS, "", Set.of(), null);
        subscribe(ResourceType.EDS);
        subscribe(ResourceType.RDS);
    }

    private void onResponse(DiscoveryResponse response) {
        backoff.reset();
        if (!store.connected()) {
            store.connected(true);
            Log.info("ADS stream to the discovery server established");
        }
        ResourceType type = ResourceType.of(response.getTypeUrl());
        if (type == null) {
            Log.warn("ignoring an ADS response of unknown type " + response.getTypeUrl());
            return;
        }
        nonces.put(type, response.getNonce());
        try {
            state.accept(type, response.getVersionInfo(), response.getResourcesList());
        } catch (InvalidConfigException e) {
            reject(type, response, e.getMessage());
            return;
        }
        store.publish(state.snapshot(store.outliers(), store.ages()));
        if (type == ResourceType.CDS) {
            subscribe(ResourceType.EDS);
        } else if (type == ResourceType.LDS) {
            subscribe(ResourceType.RDS);
        }
        send(type, response.getNonce(), state.subscription(type), null);
        store.acked();
        Log.debug("ACK " + type + " version " + response.getVersionInfo() + " (" + response.getResourcesCount() + ")");
        if (!store.ready() && state.complete()) {
            store.markReady();
            Log.info("first full configuration applied; ready");
        }
    }

    private void reject(ResourceType type, DiscoveryResponse response, String message) {
        Log.warn("NACK " + type + " version " + response.getVersionInfo() + ": " + message
                + " (keeping version \"" + state.version(type) + "\")");
        store.nacked(type + " " + response.getVersionInfo() + ": " + message);
        Status error = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message).build();
        send(type, response.getNonce(), state.subscription(type), error);
    }

    /** Sends a request for a non-wildcard type when the names it needs changed. */
    private void subscribe(ResourceType type) {
        Set<String> names = state.subscription(type);
        Set<String> previous = subscribed.get(type);
        // An empty list would read as a wildcard to a legacy server: only sent to unsubscribe from everything.
        if (names.equals(previous) || (names.isEmpty() && previous == null)) {
            return;
        }
        send(type, nonces.getOrDefault(type, ""), names, null);
    }

    private void send(ResourceType type, String nonce, Set<String> names, Status error) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl())
                .setVersionInfo(state.version(type)).setResponseNonce(nonce).addAllResourceNames(names);
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        if (error != null) {
            request.setErrorDetail(error);
        }
        subscribed.put(type, Set.copyOf(names));
        requests.onNext(request.build());
    }

    private void onStreamEnd(Throwable error) {
        store.connected(false);
        requests = null;
        if (closed) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        Log.warn("ADS stream closed (" + (error == null ? "by the server" : error.getMessage())
                + "); keeping the last good config, reconnecting in " + delay + " ms");
        executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Envoy's initial_fetch_timeout: with clusters and listeners in hand, missing EDS/RDS stop blocking readiness. */
    private void initialFetchTimedOut() {
        if (closed || store.ready()) {
            return;
        }
        if (state.received(ResourceType.CDS) && state.received(ResourceType.LDS)) {
            Log.warn("initial fetch timed out waiting for " + state.missing() + "; ready without them");
            store.markReady();
        } else {
            executor.schedule(this::initialFetchTimedOut, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.execute(() -> {
            if (requests != null) {
                requests.onCompleted();
            }
        });
        channel.shutdownNow();
    }

    /** Callbacks of one stream; those of a stream already replaced are ignored. */
    private final class Responses implements StreamObserver<DiscoveryResponse> {
        private final int stream;

        Responses(int stream) {
            this.stream = stream;
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            if (stream == generation) {
                onResponse(response);
            }
        }

        @Override
        public void onError(Throwable error) {
            if (stream == generation) {
                onStreamEnd(error);
            }
        }

        @Override
        public void onCompleted() {
            if (stream == generation) {
                onStreamEnd(null);
            }
        }
    }
}
