package dev.windlass.proxy.testing;

import dev.windlass.proxy.Proxy;
import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.Role;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts a real proxy in this JVM on ephemeral ports, against a test ADS server. */
public final class ProxyHarness implements AutoCloseable {
    public final TestResolver resolver = new TestResolver();
    public final Proxy proxy;

    public ProxyHarness(Role role, String adsAddress, Map<String, String> extraEnv) {
        this(role, adsAddress, extraEnv, io.netty.resolver.dns.DnsServerAddressStreamProviders.platformDefault());
    }

    /** With DNS clusters' names resolved at {@code dnsServers} (a {@link TestDnsServer}). */
    public ProxyHarness(Role role, String adsAddress, Map<String, String> extraEnv,
                        io.netty.resolver.dns.DnsServerAddressStreamProvider dnsServers) {
        Map<String, String> env = new HashMap<>(Map.of("DISCOVERY_ADDRESS", adsAddress, "POD_NAME",
                "client-5d8f7c9b4d-x7k2p", "POD_NAMESPACE", "test", "INSTANCE_IP", "127.0.0.1",
                "PROXY_DRAIN_SECONDS", "5", "PROXY_CONCURRENCY", "2",
                "PROXY_LOG_LEVEL", System.getProperty("proxy.log", "info")));
        for (String port : new String[]{"ADMIN_PORT", "OUTBOUND_PORT", "INBOUND_PORT", "MERGED_METRICS_PORT",
                "READINESS_PORT", "PROMETHEUS_PORT"}) {
            env.put(port, "0");
        }
        env.putAll(extraEnv);
        proxy = new Proxy(ProxyOptions.parse(role, new String[0], env), resolver, dnsServers).start();
    }

    public int outbound() {
        return proxy.port("outbound");
    }

    public int inbound() {
        return proxy.port("inbound");
    }

    public int readinessStatus() throws IOException {
        return RawHttp.get(proxy.port("readiness"), "/healthz/ready").status();
    }

    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readinessStatus() == 200) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("proxy not ready within " + timeout);
    }

    public String admin(String path) throws IOException {
        return RawHttp.get(proxy.port("admin"), path).body();
    }

    public String prometheus() throws IOException {
        return RawHttp.get(proxy.port("prometheus"), "/stats/prometheus").body();
    }

    /**
     * Waits until the Prometheus text contains every fragment. A request's metrics are recorded when its exchange
     * ends, just after the response's last bytes were flushed: a client holding the response may ask first.
     */
    public void awaitPrometheus(String... fragments) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> Assertions.assertThat(prometheus()).contains(fragments));
    }

    @Override
    public void close() {
        proxy.drainAndStop();
    }
}
