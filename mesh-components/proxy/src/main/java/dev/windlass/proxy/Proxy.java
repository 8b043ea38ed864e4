package dev.windlass.proxy;

import dev.windlass.proxy.admin.AdminEndpoints;
import dev.windlass.proxy.admin.AdminServer;
import dev.windlass.proxy.config.ListenerConfig;
import dev.windlass.proxy.dns.DnsRefresher;
import dev.windlass.proxy.http.HttpService;
import dev.windlass.proxy.identity.WorkloadIdentity;
import dev.windlass.proxy.net.ChainDrain;
import dev.windlass.proxy.net.DestinationResolver;
import dev.windlass.proxy.net.Dispatcher;
import dev.windlass.proxy.net.GatewayListeners;
import dev.windlass.proxy.net.Transport;
import dev.windlass.proxy.telemetry.AccessLog;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import dev.windlass.proxy.telemetry.RequestMetrics;
import dev.windlass.proxy.tls.TlsRegistry;
import dev.windlass.proxy.tls.TrustBundle;
import dev.windlass.proxy.xds.AdsClient;
import dev.windlass.proxy.xds.ConfigStore;
import io.grpc.ManagedChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running proxy: its event loops, its listening sockets, the ADS client and the admin ports; and the drain
 * that ends it (stop accepting, let requests in flight finish within the drain timeout, close the rest).
 */
public final class Proxy {
    private final ProxyOptions options;
    private final DestinationResolver resolver;
    private final DnsServerAddressStreamProvider dnsServers;
    private DnsRefresher dns;
    private final List<Channel> trafficServers = new ArrayList<>();
    private final List<Channel> adminServers = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ProxyContext ctx;
    private Channel outbound;
    private Channel inbound;
    private Channel admin;
    private Channel readiness;
    private Channel prometheus;
    private Channel merged;
    private GatewayListeners gateway;
    private AdsClient ads;
    private TlsRegistry tls;
    private ScheduledExecutorService xds;
    private boolean stopping;

    public Proxy(ProxyOptions options, DestinationResolver resolver) {
        this(options, resolver, DnsServerAddressStreamProviders.platformDefault());
    }

    /** {@code dnsServers}: where DNS clusters' names are resolved (the pod's resolv.conf; tests name their own). */
    public Proxy(ProxyOptions options, DestinationResolver resolver, DnsServerAddressStreamProvider dnsServers) {
        this.options = options;
        this.resolver = resolver;
        this.dnsServers = dnsServers;
    }

    public Proxy start() {
        Log.configure(options.logging());
        Transport transport = Transport.create(options.transport(), options.concurrency());
        xds = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("xds").daemon().factory());
        TrustBundle trust = options.xdsAuth().tls() ? options.xdsAuth().trustBundle() : TrustBundle.fixed(List.of());
        ManagedChannel discovery = XdsChannels.channel(options, transport, xds, trust);
        ctx = new ProxyContext(options, new ConfigStore(), transport, new RequestMetrics(options.istioMetricNames()),
                new ProxyStats(), new AccessLog(), resolver, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE),
                new DrainState(), options.xdsAuth().tls()
                        ? WorkloadIdentity.start(discovery, options.identity().spiffeId(), options.xdsAuth().certificateTtl(), xds,
                                trust)
                        : WorkloadIdentity.none());
        dns = new DnsRefresher(transport.group().next(), transport.datagramChannel(), dnsServers, ctx.config()::dnsResolved);
        ctx.config().onDnsNames(dns::track);
        Dispatcher dispatcher = new Dispatcher(ctx, new HttpService(ctx));
        ProxyOptions.Ports ports = options.ports();
        ctx.config().watch(new ChainDrain(ctx.downstreams(), options.drainTimeout()));
        if (options.identity().role() == Role.SIDECAR) {
            outbound = bind("0.0.0.0", ports.outbound(), accepting(dispatcher::outbound));
            inbound = bind("0.0.0.0", ports.inbound(), accepting(dispatcher::inbound));
            trafficServers.add(outbound);
            trafficServers.add(inbound);
        } else {
            gateway = new GatewayListeners((listener, name) -> bindGateway(listener, dispatcher));
            ctx.config().watch(gateway::reconcile);
        }
        AdminEndpoints endpoints = new AdminEndpoints(ctx, this::drainAndStop);
        admin = bindAdmin(options.adminHost(), ports.admin(), new AdminServer(endpoints.admin()));
        readiness = bindAdmin("0.0.0.0", ports.readiness(), new AdminServer(endpoints.readiness()));
        prometheus = bindAdmin("0.0.0.0", ports.prometheus(), new AdminServer(endpoints.metrics()));
        var mergedRoutes = new java.util.HashMap<>(endpoints.metrics());
        mergedRoutes.putAll(endpoints.readiness());
        merged = bindAdmin("0.0.0.0", ports.mergedMetrics(), new AdminServer(mergedRoutes, options.appProbers()));
        tls = new TlsRegistry(options, ctx.identity());
        ads = new AdsClient(discovery, XdsChannels.node(options), ctx.config(),
                xds, options.initialFetchTimeout(), tls);
        ads.start();
        Log.info(options.identity().role().nodeType() + " " + options.identity().nodeId() + " started ("
                + transport.kind().settingValue() + ", " + options.concurrency() + " worker threads), xDS "
                + options.discoveryAddress());
        return this;
    }

    /** Counts and tracks each accepted connection (for drain), then dispatches it. */
    private ChannelHandler accepting(Consumer<Channel> dispatch) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                ctx.downstreams().add(channel);
                ctx.stats().increment(Stat.DOWNSTREAM_CX_TOTAL);
                ctx.stats().increment(Stat.DOWNSTREAM_CX_ACTIVE);
                channel.closeFuture().addListener(f -> ctx.stats().decrement(Stat.DOWNSTREAM_CX_ACTIVE));
                dispatch.accept(channel);
            }
        };
    }

    private Channel bindGateway(ListenerConfig listener, Dispatcher dispatcher) {
        try {
            Channel channel = bind(listener.address().isEmpty() ? "0.0.0.0" : listener.address(), listener.port(),
                    accepting(ch -> dispatcher.gateway(ch, listener.name())));
            Log.info("gateway: listening on " + channel.localAddress() + " for " + listener.name());
            synchronized (trafficServers) {
                trafficServers.add(channel);
            }
            return channel;
        } catch (RuntimeException e) {
            Log.warn("gateway: cannot bind " + listener.name() + " on port " + listener.port() + ": " + e.getMessage());
            return null;
        }
    }

    private Channel bindAdmin(String host, int port, ChannelHandler handler) {
        Channel channel = bind(host, port, handler);
        adminServers.add(channel);
        return channel;
    }

    private Channel bind(String host, int port, ChannelHandler handler) {
        return new ServerBootstrap().group(ctx.transport().group()).channel(ctx.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true).childHandler(handler)
                .bind(host, port).syncUninterruptibly().channel();
    }

    /** SIGTERM: stop accepting, let what is in flight finish (bounded by the drain timeout), then stop. */
    public void drainAndStop() {
        synchronized (this) {
            if (stopping) {
                awaitStopped();
                return;
            }
            stopping = true;
        }
        Log.info("draining: no new connections; waiting up to " + options.drainTimeout().toSeconds()
                + " s for " + ctx.downstreams().size() + " open connections");
        ctx.drain().start();
        if (gateway != null) {
            gateway.close();
        }
        synchronized (trafficServers) {
            trafficServers.forEach(channel -> channel.close().syncUninterruptibly());
        }
        ctx.downstreams().forEach(ch -> ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(HttpService.DRAIN)));
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (!ctx.downstreams().isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        Log.info("drained (" + ctx.downstreams().size() + " connections left to close); stopping");
        stop();
    }

    private void stop() {
        ctx.identity().close();
        ads.close();
        dns.close();
        xds.shutdownNow();
        tls.close();
        adminServers.forEach(channel -> channel.close().syncUninterruptibly());
        ctx.downstreams().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        ctx.transport().group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        ctx.accessLog().close();
        ctx.config().outliers().close();
        stopped.countDown();
    }

    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public ProxyContext context() {
        return ctx;
    }

    /** The port a server actually bound (tests ask for port 0). */
    public int port(String which) {
        Channel channel = switch (which) {
            case "outbound" -> outbound;
            case "inbound" -> inbound;
            case "admin" -> admin;
            case "readiness" -> readiness;
            case "prometheus" -> prometheus;
            case "merged" -> merged;
            default -> throw new IllegalArgumentException(which);
        };
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }
}
