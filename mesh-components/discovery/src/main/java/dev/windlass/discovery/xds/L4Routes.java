package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.L4Rule;
import dev.windlass.discovery.routing.WeightedDestination;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TCP and TLS rules of a route set as filter chains of a port listener: the first TCP rule that applies to the
 * destination's addresses (a Service's ClusterIP, a ServiceEntry's addresses: IPs or CIDR blocks), port and this
 * client becomes its tcp_proxy (weighted when it splits); each TLS rule's SNI names become a chain of their own.
 * Without addresses, {@code destinationSubnets} cannot be told and are taken to hold.
 */
final class L4Routes {
    private L4Routes() {
    }

    static Optional<FilterChain> tcpChain(List<L4Rule> rules, List<String> addresses, int port, ProxyView view) {
        for (L4Rule rule : rules) {
            if (applies(rule, addresses, port, view)) {
                return Optional.of(proxyChain(rule.destinations(), port, view));
            }
        }
        return Optional.empty();
    }

    static List<FilterChain> sniChains(List<L4Rule> rules, List<String> addresses, int port, ProxyView view) {
        List<FilterChain> chains = new ArrayList<>();
        for (L4Rule rule : rules) {
            for (L4Rule.Condition condition : rule.matches()) {
                if (condition.appliesTo(port, view.workload()) && inSubnets(condition, addresses)) {
                    FilterChainMatch match = FilterChainMatch.newBuilder().addAllPrefixRanges(ranges(addresses))
                            .setTransportProtocol("tls").addAllServerNames(condition.sniHosts()).build();
                    chains.add(proxyChain(rule.destinations(), port, view).toBuilder().setFilterChainMatch(match).build());
                }
            }
        }
        return chains;
    }

    private static boolean applies(L4Rule rule, List<String> addresses, int port, ProxyView view) {
        return rule.matches().isEmpty() || rule.matches().stream()
                .anyMatch(c -> c.appliesTo(port, view.workload()) && inSubnets(c, addresses));
    }

    private static boolean inSubnets(L4Rule.Condition condition, List<String> addresses) {
        return condition.destinationSubnets().isEmpty() || addresses.isEmpty() || condition.destinationSubnets().stream()
                .anyMatch(cidr -> addresses.stream().anyMatch(a -> Cidrs.contains(cidr, a.split("/", 2)[0])));
    }

    /** The prefix ranges of addresses: an IP is its own /32 (or /128), a CIDR block keeps its length. */
    static List<CidrRange> ranges(List<String> addresses) {
        List<CidrRange> ranges = new ArrayList<>();
        for (String address : addresses) {
            String[] parts = address.split("/", 2);
            CidrRange host = host(parts[0]);
            ranges.add(parts.length == 2 ? host.toBuilder().setPrefixLen(UInt32Value.of(Integer.parseInt(parts[1]))).build() : host);
        }
        return ranges;
    }

    static FilterChain proxyChain(List<WeightedDestination> all, int port, ProxyView view) {
        List<WeightedDestination> destinations = all.stream().filter(d -> d.weight() > 0).toList();
        TcpProxy.Builder proxy = TcpProxy.newBuilder();
        String first = view.clusterName(destinations.getFirst().cluster(), port);
        if (destinations.size() == 1) {
            proxy.setCluster(first);
        } else {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            for (WeightedDestination d : destinations) {
                weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                        .setName(view.clusterName(d.cluster(), port)).setWeight(d.weight()));
            }
            proxy.setWeightedClusters(weighted);
        }
        proxy.setStatPrefix(first);
        return FilterChain.newBuilder().setName(first)
                .addFilters(Filter.newBuilder().setName(Envoy.TCP_PROXY).setTypedConfig(Any.pack(proxy.build()))).build();
    }

    static CidrRange host(String ip) {
        return CidrRange.newBuilder().setAddressPrefix(ip).setPrefixLen(UInt32Value.of(ip.contains(":") ? 128 : 32)).build();
    }
}
