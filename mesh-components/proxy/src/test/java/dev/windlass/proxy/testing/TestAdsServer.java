package dev.windlass.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A tiny state-of-the-world ADS server for tests: serves the resources it was given, per type, to every stream
 * that subscribes (only the names asked for, for EDS and RDS), pushes on every {@link #set}, and records every
 * request so tests can look for ACKs and NACKs. A real gRPC server on a real port.
 */
public final class TestAdsServer implements AutoCloseable {
    private record Versioned(String version, Map<String, Any> resources) {
    }

    private final Map<ResourceType, Versioned> state = new ConcurrentHashMap<>();
    private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong nonces = new AtomicLong();
    private final Server server;

    public TestAdsServer(String host, int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .withOption(ChannelOption.SO_REUSEADDR, true).addService(new Service()).build().start();
    }

    public TestAdsServer() throws IOException {
        this("127.0.0.1", 0);
    }

    public int port() {
        return server.getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Replaces the resources of a type and pushes them to every subscribed stream. */
    public void set(ResourceType type, String version, Message... resources) {
        Map<String, Any> byName = new LinkedHashMap<>();
        for (Message resource : resources) {
            byName.put(ResourceType.nameOf(resource), Any.pack(resource));
        }
        state.put(type, new Versioned(version, byName));
        streams.forEach(stream -> stream.push(type));
    }

    /** Sends a response with arbitrary Any resources (for malformed-input tests). */
    public void setRaw(ResourceType type, String version, Map<String, Any> resources) {
        state.put(type, new Versioned(version, new LinkedHashMap<>(resources)));
        streams.forEach(stream -> stream.push(type));
    }

    public List<DiscoveryRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits for a request matching {@code predicate}; fails after {@code timeout}. */
    public DiscoveryRequest awaitRequest(Predicate<DiscoveryRequest> predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (DiscoveryRequest request : requests) {
                if (predicate.test(request)) {
                    return request;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching xDS request within " + timeout + "; got " + requests.size() + ": "
                + requests.stream().map(r -> r.getTypeUrl().replaceAll(".*\\.", "") + " v=" + r.getVersionInfo()
                + " n=" + r.getResponseNonce() + " names=" + r.getResourceNamesList()
                + (r.hasErrorDetail() ? " NACK " + r.getErrorDetail().getMessage() : "")).toList());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
        @Override
        public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> out) {
            Stream stream = new Stream(out);
            streams.add(stream);
            return stream;
        }
    }

    private final class Stream implements StreamObserver<DiscoveryRequest> {
        private final StreamObserver<DiscoveryResponse> out;
        private final Map<ResourceType, List<String>> subscriptions = new HashMap<>();

        Stream(StreamObserver<DiscoveryResponse> out) {
            this.out = out;
        }

        @Override
        public synchronized void onNext(DiscoveryRequest request) {
            requests.add(request);
            ResourceType type = ResourceType.of(request.getTypeUrl());
            if (type == null || request.hasErrorDetail()) {
                return;
            }
            List<String> names = request.getResourceNamesList();
            List<String> previous = subscriptions.put(type, List.copyOf(names));
            // A first request, or a changed subscription, is answered; a plain ACK is not.
            if (previous == null || !previous.equals(names)) {
                push(type);
            }
        }

        synchronized void push(ResourceType type) {
            List<String> names = subscriptions.get(type);
            Versioned current = state.get(type);
            if (names == null || current == null) {
                return;
            }
            DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl())
                    .setVersionInfo(current.version()).setNonce(String.valueOf(nonces.incrementAndGet()));
            current.resources().forEach((name, any) -> {
                if (type.wildcard() || names.contains(name)) {
                    response.addResources(any);
                }
            });
            try {
                out.onNext(response.build());
            } catch (RuntimeException e) {
                streams.remove(this);
            }
        }

        @Override
        public void onError(Throwable t) {
            streams.remove(this);
        }

        @Override
        public void onCompleted() {
            streams.remove(this);
            try {
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
