package dev.windlass.discovery.ads;

import dev.windlass.discovery.auth.Caller;
import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.xds.ProxyNode;
import dev.windlass.discovery.xds.ProxyResources;
import dev.windlass.discovery.xds.XdsType;
import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One proxy's ADS stream, state of the world. Requests (from gRPC threads) and pushes (from the push thread)
 * are serialized on this object, which also keeps gRPC's rule that a stream is written by one thread at a time.
 *
 * <p>Request handling follows the xDS protocol: a request without a nonce is a (re)subscription and is always
 * answered; a request carrying the nonce of our last response is an ACK, or a NACK when it has error_detail; a
 * request carrying an older nonce is stale (a newer response is on its way) and is ignored. An ACK whose
 * resource_names differ from the subscription is also a subscription change (Envoy does this for EDS and RDS
 * after new clusters or listeners) and is answered.
 */
final class ProxyConnection implements StreamObserver<DiscoveryRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);
    private static final ControlPlane CONTROL_PLANE = ControlPlane.newBuilder().setIdentifier("windlass-discovery").build();

    private final long id;
    private final StreamObserver<DiscoveryResponse> out;
    private final AdsService ads;
    /** Who the TLS port authenticated; null on the plaintext port. */
    private final Caller caller;
    private final Instant connectedAt = Instant.now();
    private final Map<XdsType, TypeState> types = new EnumMap<>(XdsType.class);
    private ProxyNode node;
    private ServedResources served;
    private long servedSeq = -1;
    private long nonces;
    private boolean closed;

    ProxyConnection(long id, StreamObserver<DiscoveryResponse> out, AdsService ads, Caller caller) {
        this.id = id;
        this.out = out;
        this.ads = ads;
        this.caller = caller;
        for (XdsType type : XdsType.values()) {
            types.put(type, new TypeState());
        }
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (node == null && !identify(request)) {
            return;
        }
        Optional<XdsType> type = XdsType.of(request.getTypeUrl());
        if (type.isEmpty()) {
            LOG.debug("{}: ignoring request for unserved type {}", node.id(), request.getTypeUrl());
            return;
        }
        handle(type.get(), request);
    }

    /**
     * The first request must name the node; its id decides everything the proxy is served. On the TLS port the
     * node must be the caller's own pod: a token for one pod never buys another pod's configuration.
     */
    private boolean identify(DiscoveryRequest request) {
        ProxyNode claimed;
        try {
            claimed = ProxyNode.parse(request.getNode().getId());
        } catch (IllegalArgumentException e) {
            return refuse(Status.INVALID_ARGUMENT, e.getMessage());
        }
        if (caller != null && !(caller.namespace().equals(claimed.namespace()) && caller.podName().equals(claimed.podName()))) {
            return refuse(Status.PERMISSION_DENIED, "node " + claimed.id() + " is not the caller's pod (" + caller + ")");
        }
        node = claimed;
        SharedTranslations translations = ads.translations();
        served = translations.full(node);
        servedSeq = translations.stamped().seq();
        ads.connections().add(this);
        LOG.info("{} connected (stream {})", node.id(), id);
        return true;
    }

    private boolean refuse(Status status, String why) {
        LOG.warn("ADS stream {} refused: {}", id, why);
        closed = true;
        out.onError(status.withDescription(why).asRuntimeException());
        return false;
    }

    private void handle(XdsType type, DiscoveryRequest request) {
        TypeState state = types.get(type);
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
            if (!nonce.equals(state.nonceSent)) {
                return; // stale: the proxy will answer our newer response too
            }
            if (request.hasErrorDetail()) {
                nack(type, state, request);
                return;
            }
            state.versionAcked = request.getVersionInfo();
            state.nonceAcked = nonce;
            if (state.sameNames(request.getResourceNamesList())) {
                return;
            }
        }
        state.subscribe(request.getResourceNamesList());
        send(type, true);
    }

    private void nack(XdsType type, TypeState state, DiscoveryRequest request) {
        state.lastNack = new SyncStatus.Nack(state.versionSent, request.getErrorDetail().getMessage(), Instant.now());
        ads.metrics().nacked(type);
        LOG.warn("{} rejected {} version {}: {}", node.id(), type, state.versionSent, request.getErrorDetail().getMessage());
    }

    /**
     * Recomputes what this proxy is served and sends each subscribed type whose content changed, in CDS, EDS,
     * LDS, RDS order. An endpoint push brings the endpoints along (shared by proxies in the same place), so only
     * EDS can change.
     */
    synchronized void push(ChangeKind kind, SharedTranslations translations, long firstChangeNanos) {
        if (closed || node == null || translations.stamped().seq() < servedSeq) {
            return;
        }
        try {
            served = kind == ChangeKind.ENDPOINTS ? translations.withEndpoints(node, served) : translations.full(node);
        } catch (RuntimeException e) {
            LOG.error("{}: translation failed, keeping the previous config", node.id(), e);
            return;
        }
        servedSeq = translations.stamped().seq();
        boolean sent = false;
        for (XdsType type : XdsType.values()) {
            sent |= send(type, false);
        }
        if (sent) {
            ads.metrics().pushLatency((System.nanoTime() - firstChangeNanos) / 1e9);
        }
    }

    /** Sends the subscribed resources of {@code type}; unless {@code always}, only when their version changed. */
    private boolean send(XdsType type, boolean always) {
        TypeState state = types.get(type);
        if (!state.subscribed) {
            return false;
        }
        ServedResources.Packed packed = served.select(type, state.names);
        if (!always && packed.version().equals(state.versionSent)) {
            return false;
        }
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl())
                .setVersionInfo(packed.version()).setNonce(id + "-" + ++nonces).setControlPlane(CONTROL_PLANE)
                .addAllResources(packed.resources());
        state.versionSent = packed.version();
        state.nonceSent = response.getNonce();
        out.onNext(response.build());
        ads.metrics().pushed(type);
        return true;
    }

    @Override
    public void onError(Throwable t) {
        LOG.debug("ADS stream {} failed: {}", id, t.toString());
        disconnect();
    }

    @Override
    public void onCompleted() {
        disconnect();
        synchronized (this) {
            out.onCompleted();
        }
    }

    private synchronized void disconnect() {
        if (node != null && !closed) {
            LOG.info("{} disconnected (stream {})", node.id(), id);
        }
        closed = true;
        ads.connections().remove(this);
    }

    /** Ends the stream from our side (shutdown), so the proxy reconnects to another replica. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            out.onError(Status.UNAVAILABLE.withDescription("discovery server shutting down").asRuntimeException());
        }
    }

    long id() {
        return id;
    }

    synchronized ProxyNode node() {
        return node;
    }

    synchronized ProxyResources resources() {
        return served.resources();
    }

    /** A copy of the protocol state, for /debug/syncz. */
    synchronized SyncStatus status() {
        Map<XdsType, SyncStatus.TypeStatus> perType = new EnumMap<>(XdsType.class);
        types.forEach((type, s) -> {
            if (s.subscribed) {
                perType.put(type, new SyncStatus.TypeStatus(s.versionSent, s.versionAcked, s.nonceSent, s.nonceAcked, s.lastNack));
            }
        });
        return new SyncStatus(node.id(), id, connectedAt, caller == null ? "" : caller.toString(), perType);
    }
}
