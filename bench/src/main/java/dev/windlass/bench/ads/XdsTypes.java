package dev.windlass.bench.ads;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The EDS and RDS names that CDS and LDS responses imply (the type URLs are the contract's XdsTypeUrls). */
final class XdsTypes {
    private XdsTypes() {
    }

    /** The EDS service names of the EDS clusters, as the proxy subscribes to them. */
    static Set<String> edsNames(List<Any> clusters) {
        Set<String> names = new TreeSet<>();
        for (Any any : clusters) {
            Cluster cluster = unpack(any, Cluster.class);
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                String service = cluster.getEdsClusterConfig().getServiceName();
                names.add(service.isEmpty() ? cluster.getName() : service);
            }
        }
        return names;
    }

    /** The route configurations the listeners' HTTP connection managers name (RDS). */
    static Set<String> rdsNames(List<Any> listeners) {
        Set<String> names = new TreeSet<>();
        for (Any any : listeners) {
            Listener listener = unpack(any, Listener.class);
            Stream.concat(listener.getFilterChainsList().stream(), Stream.of(listener.getDefaultFilterChain()))
                    .map(FilterChain::getFiltersList).flatMap(List::stream)
                    .filter(f -> f.getTypedConfig().getTypeUrl().endsWith(".HttpConnectionManager"))
                    .map(XdsTypes::connectionManager).filter(HttpConnectionManager::hasRds)
                    .forEach(hcm -> names.add(hcm.getRds().getRouteConfigName()));
        }
        return names;
    }

    private static HttpConnectionManager connectionManager(Filter filter) {
        return unpack(filter.getTypedConfig(), HttpConnectionManager.class);
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable " + any.getTypeUrl(), e);
        }
    }
}
