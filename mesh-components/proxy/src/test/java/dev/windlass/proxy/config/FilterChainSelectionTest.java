package dev.windlass.proxy.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Envoy's filter_chain_match order: destination port, then the most specific prefix range, then the default. */
class FilterChainSelectionTest {
    private static FilterChain chain(String name, Integer port, String... cidrs) throws InvalidConfigException {
        List<CidrRange> ranges = new java.util.ArrayList<>();
        for (String cidr : cidrs) {
            String[] parts = cidr.split("/");
            ranges.add(CidrRange.of(parts[0], Integer.parseInt(parts[1])));
        }
        return new FilterChain(name, new ChainMatch(port, ranges, false), new NetworkAction.Tcp(name, name));
    }

    private static String select(ListenerConfig listener, String ip, int port) throws Exception {
        FilterChain chain = listener.select(InetAddress.getByName(ip), port);
        return chain == null ? null : chain.name();
    }

    @Test
    void theMostSpecificPrefixWinsAndChainsWithoutRangesCatchTheRest() throws Exception {
        ListenerConfig listener = new ListenerConfig("0.0.0.0_80", "0.0.0.0", 80, false, List.of(
                chain("wide", null, "10.0.0.0/8"), chain("narrow", null, "10.1.0.0/16"), chain("any", null),
                chain("everything", null, "0.0.0.0/0")), null);
        assertThat(select(listener, "10.1.2.3", 80)).isEqualTo("narrow");
        assertThat(select(listener, "10.2.2.3", 80)).isEqualTo("wide");
        assertThat(select(listener, "192.168.1.1", 80)).isEqualTo("everything");
    }

    @Test
    void aChainForTheDestinationPortBeatsChainsForAnyPort() throws Exception {
        ListenerConfig listener = new ListenerConfig("virtualInbound", "0.0.0.0", 15006, true, List.of(
                chain("any-port", null, "10.0.0.0/8"), chain("9080", 9080)), chain("default", null));
        assertThat(select(listener, "10.0.0.1", 9080)).isEqualTo("9080");
        assertThat(select(listener, "10.0.0.1", 8080)).isEqualTo("any-port");
        assertThat(select(listener, "172.16.0.1", 8080)).isEqualTo("default");
    }

    @Test
    void tlsChainsNeverMatchAndNothingMatchingMeansNull() throws Exception {
        FilterChain tls = new FilterChain("tls", new ChainMatch(9080, List.of(), true), new NetworkAction.Tcp("t", "t"));
        ListenerConfig listener = new ListenerConfig("l", "0.0.0.0", 1, true, List.of(tls, chain("other", 8080)), null);
        assertThat(select(listener, "10.0.0.1", 9080)).isNull();
    }

    @Test
    void cidrRangesCompareBitsIncludingPartialBytes() throws Exception {
        CidrRange range = CidrRange.of("10.96.0.0", 12);
        assertThat(range.contains(InetAddress.getByName("10.111.255.1"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("10.112.0.1"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("::1"))).isFalse();
    }

    /** A sidecar's inbound port in PERMISSIVE mode, as the discovery server writes it (Istio's three chains). */
    @Test
    void meshMtlsPlainTextAndTheAppsOwnTlsTakeTheirOwnChains() throws Exception {
        List<String> istio = dev.windlass.contract.MeshTls.ALPN;
        ListenerConfig listener = new ListenerConfig("virtualInbound", "0.0.0.0", 15006, true, List.of(
                new FilterChain("mtls", new ChainMatch(9080, List.of(), true, List.of(), false, istio), new NetworkAction.Tcp("m", "m")),
                new FilterChain("plain", new ChainMatch(9080, List.of(), false, List.of(), true, List.of()), new NetworkAction.Tcp("p", "p")),
                new FilterChain("app-tls", new ChainMatch(9080, List.of(), true, List.of()), new NetworkAction.Tcp("a", "a"))),
                null);
        InetAddress pod = InetAddress.getByName("10.0.0.1");
        assertThat(listener.inspectsClientHello(pod, 9080)).isTrue();
        assertThat(listener.select(pod, 9080, true, "outbound_.9080_._.reviews", List.of("istio-peer-exchange", "istio")).name())
                .isEqualTo("mtls");
        assertThat(listener.select(pod, 9080, false, null, List.of()).name()).isEqualTo("plain");
        assertThat(listener.select(pod, 9080, true, "reviews", List.of("h2", "http/1.1")).name()).isEqualTo("app-tls");
        assertThat(listener.select(pod, 9080, true, "reviews", List.of()).name()).isEqualTo("app-tls");
    }
}
