package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import dev.windlass.proxy.config.jwt.JwtAuthnFilter;
import dev.windlass.proxy.config.jwt.JwtAuthnTranslator;
import dev.windlass.proxy.config.rbac.RbacFilters;
import dev.windlass.proxy.config.rbac.RbacRules;
import dev.windlass.proxy.tls.ServerTls;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Listener (LDS) to {@link ListenerConfig}. A chain's action comes from its first terminal network filter
 * (HttpConnectionManager or tcp_proxy). Network RBAC filters before it are compiled ({@link RbacFilters}), as are
 * the HCM's HTTP RBAC filters, its JWT filter, its upgrade configs ({@link UpgradeConfigs}) and its downstream
 * timeouts ({@link HttpTimeouts}); other filters
 * (Istio's metadata exchange, stats...) are skipped. A chain without a terminal filter, or an HttpConnectionManager
 * with neither RDS nor an inline route configuration, makes the whole listener invalid. A chain's transport socket is TLS termination
 * ({@link TlsTranslator}), compiled by the given {@link TlsBinder}.
 */
public final class ListenerTranslator {
    private ListenerTranslator() {
    }

    public static ListenerConfig translate(Listener listener) throws InvalidConfigException {
        return translate(listener, TlsBinder.NONE);
    }

    /** {@code tls} compiles the chains' transport sockets (TLS termination). */
    public static ListenerConfig translate(Listener listener, TlsBinder tls) throws InvalidConfigException {
        String name = listener.getName();
        if (name.isEmpty()) {
            throw new InvalidConfigException("listener without a name");
        }
        SocketAddress socket = listener.getAddress().getSocketAddress();
        List<FilterChain> chains = new ArrayList<>();
        for (io.envoyproxy.envoy.config.listener.v3.FilterChain chain : listener.getFilterChainsList()) {
            chains.add(chain(name, chain, tls));
        }
        FilterChain fallback = listener.hasDefaultFilterChain() ? chain(name, listener.getDefaultFilterChain(), tls) : null;
        boolean bind = !listener.hasBindToPort() || listener.getBindToPort().getValue();
        return new ListenerConfig(name, socket.getAddress(), socket.getPortValue(), bind, chains, fallback);
    }

    private static FilterChain chain(String listener, io.envoyproxy.envoy.config.listener.v3.FilterChain chain,
                                     TlsBinder tls) throws InvalidConfigException {
        String where = "listener " + listener + (chain.getName().isEmpty() ? "" : " chain " + chain.getName());
        List<RbacRules> rbac = new ArrayList<>();
        for (Filter filter : chain.getFiltersList()) {
            NetworkAction action = action(where, filter);
            if (action != null) {
                return new FilterChain(chain.getName(), match(chain.getFilterChainMatch()), action,
                        termination(where, chain, tls), rbac, chain);
            }
            RbacRules rules = RbacFilters.network(where, filter);
            if (rules != null) {
                rbac.add(rules);
            }
        }
        throw new InvalidConfigException(where + ": no http_connection_manager or tcp_proxy filter");
    }

    /**
     * The chain's TLS termination, or null when it has no transport socket (plain TCP, or TLS passed through).
     * Before tcp_proxy too: what the client sends is relayed decrypted (a sidecar's mesh mTLS on a TCP port).
     */
    private static ServerTls termination(String where, io.envoyproxy.envoy.config.listener.v3.FilterChain chain,
                                         TlsBinder tls) throws InvalidConfigException {
        if (!chain.hasTransportSocket()) {
            return null;
        }
        return tls.bind(TlsTranslator.translate(where, chain.getTransportSocket()));
    }

    private static NetworkAction action(String where, Filter filter) throws InvalidConfigException {
        Any config = filter.getTypedConfig();
        try {
            if (config.is(HttpConnectionManager.class)) {
                return http(where, config.unpack(HttpConnectionManager.class));
            }
            if (config.is(TcpProxy.class)) {
                return tcp(where, config.unpack(TcpProxy.class));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException(where + ": cannot decode " + config.getTypeUrl(), e);
        }
        return null;
    }

    private static NetworkAction http(String where, HttpConnectionManager hcm) throws InvalidConfigException {
        String accessLog = accessLogPath(hcm.getAccessLogList());
        List<RbacRules> rbac = RbacFilters.http(where, hcm.getHttpFiltersList());
        JwtAuthnFilter jwt = JwtAuthnTranslator.http(where, hcm.getHttpFiltersList());
        boolean websocket = UpgradeConfigs.websocket(where, hcm);
        HttpTimeouts timeouts = HttpTimeouts.of(where, hcm);
        if (hcm.hasRouteConfig()) {
            return new NetworkAction.Http(hcm.getRouteConfig().getName(), RouteTranslator.translate(hcm.getRouteConfig()),
                    accessLog, hcm.getStatPrefix(), hcm.getXffNumTrustedHops(), rbac, jwt, websocket, timeouts);
        }
        if (hcm.hasRds() && !hcm.getRds().getRouteConfigName().isEmpty()) {
            return new NetworkAction.Http(hcm.getRds().getRouteConfigName(), null, accessLog, hcm.getStatPrefix(),
                    hcm.getXffNumTrustedHops(), rbac, jwt, websocket, timeouts);
        }
        throw new InvalidConfigException(where + ": HttpConnectionManager references no route configuration");
    }

    private static NetworkAction tcp(String where, TcpProxy proxy) throws InvalidConfigException {
        if (proxy.getClusterSpecifierCase() == TcpProxy.ClusterSpecifierCase.WEIGHTED_CLUSTERS) {
            List<WeightedClusters.Entry> entries = new ArrayList<>();
            for (TcpProxy.WeightedCluster.ClusterWeight c : proxy.getWeightedClusters().getClustersList()) {
                entries.add(new WeightedClusters.Entry(c.getName(), c.getWeight(), HeaderMutation.NONE, HeaderMutation.NONE, null));
            }
            WeightedClusters weighted = new WeightedClusters(entries);
            return new NetworkAction.Tcp(entries.getFirst().name(), proxy.getStatPrefix(), weighted);
        }
        if (proxy.getCluster().isEmpty()) {
            throw new InvalidConfigException(where + ": tcp_proxy without a cluster");
        }
        return new NetworkAction.Tcp(proxy.getCluster(), proxy.getStatPrefix());
    }

    /** The path of the first file or stdout access log, or null. */
    private static String accessLogPath(List<AccessLog> logs) throws InvalidConfigException {
        for (AccessLog log : logs) {
            Any config = log.getTypedConfig();
            try {
                if (config.is(FileAccessLog.class)) {
                    return config.unpack(FileAccessLog.class).getPath();
                }
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidConfigException("cannot decode access log " + config.getTypeUrl(), e);
            }
            if (config.is(StdoutAccessLog.class)) {
                return "/dev/stdout";
            }
        }
        return null;
    }

    static ChainMatch match(FilterChainMatch match) throws InvalidConfigException {
        List<CidrRange> ranges = new ArrayList<>();
        for (io.envoyproxy.envoy.config.core.v3.CidrRange range : match.getPrefixRangesList()) {
            ranges.add(CidrRange.of(range.getAddressPrefix(), range.hasPrefixLen() ? range.getPrefixLen().getValue()
                    : range.getAddressPrefix().contains(":") ? 128 : 32));
        }
        Integer port = match.hasDestinationPort() ? match.getDestinationPort().getValue() : null;
        String transport = match.getTransportProtocol();
        if (!transport.isEmpty() && !transport.equals("tls") && !transport.equals("raw_buffer")) {
            throw new InvalidConfigException("filter chain transport_protocol \"" + transport + "\" is not supported");
        }
        if (match.getSourcePrefixRangesCount() > 0 || match.getSourcePortsCount() > 0 || match.hasSuffixLen()
                || match.getDirectSourcePrefixRangesCount() > 0) {
            throw new InvalidConfigException("filter chain matches on sources are not supported");
        }
        return new ChainMatch(port, ranges, transport.equals("tls"), match.getServerNamesList(),
                transport.equals("raw_buffer"), match.getApplicationProtocolsList());
    }
}
