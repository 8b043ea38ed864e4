package dev.windlass.proxy.testing;

import dev.windlass.proxy.Role;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A gateway proxy in this JVM listening on a free loopback port, whose routes, clusters and endpoints a test
 * writes as Envoy resources, and a client for it: a route's behaviour is observed on a real socket.
 */
public final class RoutedGateway implements AutoCloseable {
    public final TestAdsServer ads;
    public final ProxyHarness proxy;
    public final int port;
    private int version;

    public RoutedGateway() throws IOException {
        this(Map.of());
    }

    /** With extra proxy settings (environment variables). */
    public RoutedGateway(Map<String, String> env) throws IOException {
        this(env, io.netty.resolver.dns.DnsServerAddressStreamProviders.platformDefault());
    }

    /** A gateway whose DNS clusters resolve their names at {@code dnsServers}. */
    public RoutedGateway(io.netty.resolver.dns.DnsServerAddressStreamProvider dnsServers) throws IOException {
        this(Map.of(), dnsServers);
    }

    private RoutedGateway(Map<String, String> env, io.netty.resolver.dns.DnsServerAddressStreamProvider dnsServers)
            throws IOException {
        ads = new TestAdsServer();
        proxy = new ProxyHarness(Role.ROUTER, ads.address(), env, dnsServers);
        port = freePort();
    }

    /** Serves route configuration "80" on an HTTP listener, and these clusters as they are (no EDS). */
    public void serve(RouteConfiguration routes, Cluster... clusters) throws Exception {
        serve(Resources.gatewayListener("127.0.0.1", port, "80"), routes, clusters);
    }

    /** Serves {@code listener}, its route configuration and these clusters as they are (no EDS). */
    public void serve(Listener listener, RouteConfiguration routes, Cluster... clusters) throws Exception {
        String v = String.valueOf(++version);
        ads.set(ResourceType.CDS, v, clusters);
        ads.set(ResourceType.LDS, v, listener);
        ads.set(ResourceType.RDS, v, routes);
        proxy.awaitReady(Duration.ofSeconds(10));
        awaitListening();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Serves one route configuration "80" on an HTTP listener, the clusters (EDS) and their endpoints. */
    public void serve(List<Route> routes, Map<String, List<String>> endpointsByCluster) throws Exception {
        serve(RouteConfiguration.newBuilder().setName("80").addVirtualHosts(VirtualHost.newBuilder().setName("test")
                .addDomains("*").addAllRoutes(routes).setIncludeRequestAttemptCount(true)).build(), endpointsByCluster);
    }

    public void serve(RouteConfiguration routes, Map<String, List<String>> endpointsByCluster) throws Exception {
        serve(Resources.gatewayListener("127.0.0.1", port, "80"), routes, endpointsByCluster);
    }

    /** The gateway's listener, on its loopback port, with these filter chains. */
    public Listener listener(FilterChain... chains) {
        return Listener.newBuilder().setName("0.0.0.0_" + port).setAddress(Resources.address("127.0.0.1", port))
                .addAllFilterChains(List.of(chains)).build();
    }

    /** Serves one filter chain of {@code filters} (HTTP RBAC, JWT... in a connection manager, network RBAC). */
    public void serve(List<Filter> filters, RouteConfiguration routes, Map<String, List<String>> endpointsByCluster)
            throws Exception {
        serve(listener(FilterChain.newBuilder().addAllFilters(filters).build()), routes, endpointsByCluster);
    }

    public void serve(Listener listener, RouteConfiguration routes, Map<String, List<String>> endpointsByCluster)
            throws Exception {
        String v = String.valueOf(++version);
        List<Cluster> clusters = new ArrayList<>();
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        endpointsByCluster.forEach((cluster, addresses) -> {
            clusters.add(Resources.edsCluster(cluster));
            endpoints.add(Resources.endpoints(cluster, cluster.split("\\|")[2], addresses.toArray(String[]::new)));
        });
        ads.set(ResourceType.CDS, v, clusters.toArray(Cluster[]::new));
        ads.set(ResourceType.EDS, v, endpoints.toArray(ClusterLoadAssignment[]::new));
        ads.set(ResourceType.LDS, v, listener);
        if (routes != null) {
            ads.set(ResourceType.RDS, v, routes);
        }
        proxy.awaitReady(Duration.ofSeconds(10));
        awaitListening();
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** One request on a fresh connection. */
    public RawHttp.Response send(String request) throws IOException {
        try (Socket socket = connect()) {
            return RawHttp.send(socket, request);
        }
    }

    public RawHttp.Response get(String path, String... headers) throws IOException {
        String[] all = new String[headers.length + 1];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Connection: close";
        return send(RawHttp.get(path, "app.test:80", all));
    }

    /** {@code n} requests to {@code path} at once, each on its own downstream connection. */
    public List<RawHttp.Response> concurrently(int n, String path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> get(path)));
            }
            List<RawHttp.Response> responses = new ArrayList<>();
            for (Future<RawHttp.Response> f : futures) {
                responses.add(f.get(30, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    public Socket connect() throws IOException {
        return connectFrom("127.0.0.1");
    }

    /** A connection from a given loopback address (any of 127.0.0.0/8 on Linux), as another client host. */
    public Socket connectFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(15_000);
        return socket;
    }

    public String stats() throws IOException {
        return proxy.admin("/stats");
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        ads.close();
    }
}
