package dev.windlass.bench.ads;

import dev.windlass.contract.XdsTypeUrls;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N simulated sidecars, each on its own TCP connection (its own gRPC channel) to the discovery server, sharing two
 * event-loop threads. Knows when all have their first full configuration, and, through a {@link PushWatch}, when
 * all have ACKed a new version of a type.
 */
final class AdsFleet implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<SimulatedProxy> proxies = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final CountDownLatch complete;
    private final Map<String, Set<String>> namesByVersion = new ConcurrentHashMap<>();
    private final AtomicInteger streamsEnded = new AtomicInteger();
    private volatile PushWatch watch;
    private volatile boolean closing;

    AdsFleet(int size) {
        complete = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            proxies.add(new SimulatedProxy(i, this));
        }
    }

    /** Opens every connection and stream, as fast as they go. */
    void connect(int port) {
        for (SimulatedProxy proxy : proxies) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                    .eventLoopGroup(group).channelType(NioSocketChannel.class).directExecutor()
                    .maxInboundMessageSize(64 << 20).build();
            channels.add(channel);
            proxy.connect(channel);
        }
    }

    /** Waits until every proxy has ACKed CDS, EDS, LDS and RDS once; false on timeout. */
    boolean awaitComplete(Duration timeout) throws InterruptedException {
        return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long incomplete() {
        return complete.getCount();
    }

    int streamsEnded() {
        return streamsEnded.get();
    }

    /** Starts watching for every proxy to ACK a version of {@code type} other than the one it has now. */
    PushWatch watch(String type) {
        PushWatch next = new PushWatch(type, proxies);
        watch = next;
        return next;
    }

    /** EDS or RDS names implied by a CDS or LDS response; worked out once per version (the version is a content hash). */
    Set<String> names(String type, DiscoveryResponse response) {
        return namesByVersion.computeIfAbsent(type + "@" + response.getVersionInfo(), key -> type.equals(XdsTypeUrls.EDS)
                ? XdsTypes.edsNames(response.getResourcesList()) : XdsTypes.rdsNames(response.getResourcesList()));
    }

    void acked(SimulatedProxy proxy, String type, String version) {
        PushWatch current = watch;
        if (current != null) {
            current.acked(proxy, type, version);
        }
    }

    void complete(SimulatedProxy proxy) {
        complete.countDown();
    }

    void streamEnded(SimulatedProxy proxy, Throwable error) {
        if (closing) {
            return;
        }
        if (streamsEnded.incrementAndGet() <= 3) {
            System.err.println("[discovery] stream of simulated proxy " + proxy.index() + " ended: " + error);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        proxies.forEach(SimulatedProxy::close);
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
