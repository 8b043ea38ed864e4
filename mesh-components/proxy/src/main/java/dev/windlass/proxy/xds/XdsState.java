package dev.windlass.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ClusterTranslator;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.EndpointTranslator;
import dev.windlass.proxy.config.FilterChain;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.ListenerConfig;
import dev.windlass.proxy.config.ListenerTranslator;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.config.RouteTable;
import dev.windlass.proxy.config.RouteTranslator;
import dev.windlass.proxy.config.TlsBinder;
import dev.windlass.proxy.config.UpstreamEndpoint;
import dev.windlass.proxy.tls.ServerTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeSet;

/**
 * The accepted xDS state of one proxy, per type: protos, their translations and version_info. Not thread-safe:
 * the ADS client owns it on its single thread. An update is translated completely before anything is replaced,
 * so an invalid response leaves the last good state untouched.
 */
public final class XdsState {
    private final Map<ResourceType, Map<String, Message>> protos = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);
    private final Map<String, ListenerConfig> listeners = new HashMap<>();
    private final Map<String, RouteTable> routes = new HashMap<>();
    private final Map<String, ClusterConfig> clusters = new HashMap<>();
    private final Map<String, List<UpstreamEndpoint>> endpoints = new HashMap<>();

    private final TlsBinder tls;

    public XdsState() {
        this(TlsBinder.NONE);
    }

    /** {@code tls} compiles the listeners' TLS terminations. */
    public XdsState(TlsBinder tls) {
        this.tls = tls;
        for (ResourceType type : ResourceType.values()) {
            protos.put(type, new LinkedHashMap<>());
        }
    }

    /** Validates and accepts one response's resources; throws, changing nothing, if any is invalid. */
    public void accept(ResourceType type, String version, List<Any> resources) throws InvalidConfigException {
        Map<String, Message> decoded = new LinkedHashMap<>();
        for (Any any : resources) {
            Message message = decode(type, any);
            decoded.put(ResourceType.nameOf(message), message);
        }
        Map<String, Object> translated = new HashMap<>();
        try {
            for (Map.Entry<String, Message> entry : decoded.entrySet()) {
                translated.put(entry.getKey(), translate(entry.getValue()));
            }
            commit(type, decoded, translated);
            versions.put(type, version);
        } finally {
            if (type == ResourceType.LDS) {
                // Terminations compiled for a refused update, or replaced by this one, are dropped.
                tls.retain(terminations());
            } else if (type == ResourceType.CDS) {
                tls.retainClientCredentials(clusters.values().stream()
                        .flatMap(c -> c.transportSockets().watchedCredentials()).collect(Collectors.toSet()));
            }
        }
    }

    private Set<ServerTls> terminations() {
        Set<ServerTls> inUse = new HashSet<>();
        for (ListenerConfig listener : listeners.values()) {
            listener.chains().stream().map(FilterChain::tls).filter(Objects::nonNull).forEach(inUse::add);
            if (listener.defaultChain() != null && listener.defaultChain().tls() != null) {
                inUse.add(listener.defaultChain().tls());
            }
        }
        return inUse;
    }

    private static Message decode(ResourceType type, Any any) throws InvalidConfigException {
        if (!any.getTypeUrl().equals(type.typeUrl())) {
            throw new InvalidConfigException("resource of type " + any.getTypeUrl() + " in a " + type + " response");
        }
        try {
            return type.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException("cannot decode a " + type + " resource: " + e.getMessage(), e);
        }
    }

    private Object translate(Message message) throws InvalidConfigException {
        return switch (message) {
            case Listener listener -> ListenerTranslator.translate(listener, tls);
            case Cluster cluster -> ClusterTranslator.translate(cluster, tls);
            case RouteConfiguration route -> RouteTranslator.translate(route);
            case ClusterLoadAssignment assignment -> EndpointTranslator.endpoints(assignment);
            default -> throw new InvalidConfigException("unexpected resource " + message.getClass().getSimpleName());
        };
    }

    @SuppressWarnings("unchecked")
    private void commit(ResourceType type, Map<String, Message> decoded, Map<String, Object> translated) {
        Map<String, ?> target = switch (type) {
            case LDS -> listeners;
            case CDS -> clusters;
            case RDS -> routes;
            case EDS -> endpoints;
        };
        if (type.wildcard()) {
            // State of the world: a listener or cluster missing from the response is gone.
            protos.get(type).clear();
            target.clear();
        }
        protos.get(type).putAll(decoded);
        ((Map<String, Object>) target).putAll(translated);
        if (type == ResourceType.CDS) {
            retain(ResourceType.EDS, endpointNames());
        } else if (type == ResourceType.LDS) {
            retain(ResourceType.RDS, routeNames());
        }
    }

    /** Drops EDS or RDS resources nobody references any more. */
    private void retain(ResourceType type, Set<String> names) {
        protos.get(type).keySet().retainAll(names);
        (type == ResourceType.EDS ? endpoints : routes).keySet().retainAll(names);
    }

    /** The ClusterLoadAssignment names the EDS clusters need. */
    public Set<String> endpointNames() {
        Set<String> names = new TreeSet<>();
        clusters.values().stream().filter(c -> c.edsName() != null).forEach(c -> names.add(c.edsName()));
        return names;
    }

    /** The route configuration names the listeners reference over RDS. */
    public Set<String> routeNames() {
        Set<String> names = new TreeSet<>();
        for (ListenerConfig listener : listeners.values()) {
            for (FilterChain chain : listener.chains()) {
                addRds(chain, names);
            }
            addRds(listener.defaultChain(), names);
        }
        return names;
    }

    private static void addRds(FilterChain chain, Set<String> names) {
        if (chain != null && chain.action() instanceof NetworkAction.Http http && http.inlineRoutes() == null) {
            names.add(http.routeName());
        }
    }

    public Set<String> subscription(ResourceType type) {
        return switch (type) {
            case EDS -> endpointNames();
            case RDS -> routeNames();
            default -> Set.of();
        };
    }

    public String version(ResourceType type) {
        return versions.getOrDefault(type, "");
    }

    public boolean received(ResourceType type) {
        return versions.containsKey(type);
    }

    /** Clusters and listeners arrived, and every endpoint set and route configuration they need too. */
    public boolean complete() {
        return received(ResourceType.CDS) && received(ResourceType.LDS)
                && endpoints.keySet().containsAll(endpointNames()) && routes.keySet().containsAll(routeNames());
    }

    /** What is still missing for {@link #complete()}, for the log. */
    public String missing() {
        Set<String> missing = new TreeSet<>();
        for (ResourceType type : List.of(ResourceType.CDS, ResourceType.LDS)) {
            if (!received(type)) {
                missing.add(type.name());
            }
        }
        endpointNames().stream().filter(n -> !endpoints.containsKey(n)).forEach(n -> missing.add("EDS " + n));
        routeNames().stream().filter(n -> !routes.containsKey(n)).forEach(n -> missing.add("RDS " + n));
        return String.join(", ", missing);
    }

    /** The accepted config as a snapshot whose balancers keep their hosts' outlier state in {@code outliers}. */
    public ConfigSnapshot snapshot(dev.windlass.proxy.config.OutlierDetectors outliers) {
        return snapshot(outliers, new dev.windlass.proxy.config.EndpointAges());
    }

    /** The same, with the endpoints' join times (slow start) kept in {@code ages}. */
    public ConfigSnapshot snapshot(dev.windlass.proxy.config.OutlierDetectors outliers,
                                   dev.windlass.proxy.config.EndpointAges ages) {
        Map<String, Map<String, Message>> raw = new HashMap<>();
        Map<String, String> typeVersions = new HashMap<>();
        for (ResourceType type : ResourceType.values()) {
            raw.put(type.typeUrl(), Map.copyOf(protos.get(type)));
            typeVersions.put(type.typeUrl(), version(type));
        }
        return new ConfigSnapshot(listeners, routes, clusters, endpoints, raw, typeVersions, outliers, ages);
    }
}
