package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.TrafficSettings;
import dev.windlass.discovery.routing.Visibility;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.Durations;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A DestinationRule to the routing model's destination policy. */
public final class DestinationRuleTranslator {
    private DestinationRuleTranslator() {
    }

    public static DestinationPolicy translate(IstioResource<DestinationRuleSpec> dr, String clusterDomain) {
        DestinationRuleSpec spec = dr.spec();
        List<DestinationPolicy.Subset> subsets = spec.subsets().stream()
                .map(s -> new DestinationPolicy.Subset(s.name(), s.labels(), policy(s.trafficPolicy()))).toList();
        return new DestinationPolicy(dr.displayName(), dr.namespace(), dr.name(), dr.created(),
                Hosts.resolve(spec.host(), dr.namespace(), clusterDomain), Visibility.of(spec.exportTo(), dr.namespace()),
                policy(spec.trafficPolicy()), subsets, locality(spec.trafficPolicy()));
    }

    /** Validation refuses the setting below the top level, so only the destination's is read. */
    private static DestinationPolicy.LocalityLb locality(DestinationRuleSpec.TrafficPolicy policy) {
        var setting = policy == null || policy.loadBalancer() == null ? null : policy.loadBalancer().localityLbSetting();
        if (setting == null) {
            return null;
        }
        if (Boolean.FALSE.equals(setting.enabled())) {
            return DestinationPolicy.LocalityLb.DISABLED;
        }
        return new DestinationPolicy.LocalityLb(true,
                setting.distribute().stream().map(d -> new DestinationPolicy.LocalityLb.Distribute(d.from(),
                        new java.util.TreeMap<>(d.to()))).toList(),
                setting.failover().stream().map(f -> new DestinationPolicy.LocalityLb.Failover(f.from(), f.to())).toList());
    }

    private static DestinationPolicy.Policy policy(DestinationRuleSpec.TrafficPolicy policy) {
        if (policy == null) {
            return DestinationPolicy.Policy.NONE;
        }
        Map<Integer, TrafficSettings> perPort = new HashMap<>();
        for (DestinationRuleSpec.PortPolicy port : policy.portLevelSettings()) {
            if (port.port() != null && port.port().number() != null) {
                perPort.put(port.port().number(),
                        settings(port.loadBalancer(), port.connectionPool(), port.outlierDetection(), port.tls()));
            }
        }
        return new DestinationPolicy.Policy(
                settings(policy.loadBalancer(), policy.connectionPool(), policy.outlierDetection(), policy.tls()), perPort);
    }

    /** One level's settings (the rule's, a subset's, or a port's of either); what it does not set stays null. */
    private static TrafficSettings settings(DestinationRuleSpec.LoadBalancer lb, DestinationRuleSpec.ConnectionPool pool,
                                            DestinationRuleSpec.OutlierDetection outlier,
                                            DestinationRuleSpec.ClientTls tls) {
        DestinationPolicy.LoadBalancing balancing = loadBalancing(lb);
        java.time.Duration warmup = lb == null ? null : duration(lb.warmupDurationSecs());
        if (balancing == null && warmup != null) {
            balancing = DestinationPolicy.LoadBalancing.ROUND_ROBIN; // localityLbSetting alone: the default, warming up
        }
        return new TrafficSettings(balancing == null ? null : new DestinationPolicy.LoadBalancer(balancing, hash(lb), warmup),
                ConnectionPoolTranslator.pool(pool), outlier(outlier), ClientTlsTranslator.origination(tls));
    }

    private static DestinationPolicy.ConsistentHash hash(DestinationRuleSpec.LoadBalancer lb) {
        if (lb == null || lb.consistentHash() == null) {
            return null;
        }
        var hash = lb.consistentHash();
        Long ring = hash.ringHash() != null && hash.ringHash().minimumRingSize() != null && hash.ringHash().minimumRingSize() > 0
                ? hash.ringHash().minimumRingSize()
                : hash.minimumRingSize() != null && hash.minimumRingSize() > 0 ? hash.minimumRingSize() : null;
        Long table = hash.maglev() != null && hash.maglev().tableSize() != null && hash.maglev().tableSize() > 0
                ? hash.maglev().tableSize() : null;
        return new DestinationPolicy.ConsistentHash(hashKey(hash), ring, hash.maglev() != null, table);
    }

    /** The one hash key validation lets through. */
    private static DestinationPolicy.HashKey hashKey(DestinationRuleSpec.ConsistentHash hash) {
        if (hash.httpCookie() != null) {
            var cookie = hash.httpCookie();
            return new DestinationPolicy.HashKey.Cookie(cookie.name(), cookie.path() == null ? "" : cookie.path(),
                    duration(cookie.ttl()));
        }
        if (Boolean.TRUE.equals(hash.useSourceIp())) {
            return new DestinationPolicy.HashKey.SourceIp();
        }
        if (hash.httpQueryParameterName() != null) {
            return new DestinationPolicy.HashKey.QueryParameter(hash.httpQueryParameterName());
        }
        return new DestinationPolicy.HashKey.Header(hash.httpHeaderName());
    }

    private static DestinationPolicy.OutlierDetection outlier(DestinationRuleSpec.OutlierDetection outlier) {
        if (outlier == null) {
            return null;
        }
        return new DestinationPolicy.OutlierDetection(outlier.consecutive5xxErrors(), outlier.consecutiveGatewayErrors(),
                outlier.consecutiveLocalOriginFailures(), Boolean.TRUE.equals(outlier.splitExternalLocalOriginErrors()),
                duration(outlier.interval()), duration(outlier.baseEjectionTime()),
                outlier.maxEjectionPercent() == null ? 0 : outlier.maxEjectionPercent(),
                outlier.minHealthPercent() == null ? 0 : outlier.minHealthPercent());
    }

    static java.time.Duration duration(String text) {
        return text == null ? null : Durations.parse(text);
    }

    private static DestinationPolicy.LoadBalancing loadBalancing(DestinationRuleSpec.LoadBalancer lb) {
        if (lb != null && lb.consistentHash() != null) {
            return DestinationPolicy.LoadBalancing.CONSISTENT_HASH;
        }
        if (lb == null || lb.simple() == null) {
            return null;
        }
        return switch (lb.simple()) {
            case "LEAST_REQUEST", "LEAST_CONN" -> DestinationPolicy.LoadBalancing.LEAST_REQUEST;
            case "RANDOM" -> DestinationPolicy.LoadBalancing.RANDOM;
            case "PASSTHROUGH" -> DestinationPolicy.LoadBalancing.PASSTHROUGH;
            default -> DestinationPolicy.LoadBalancing.ROUND_ROBIN;
        };
    }
}
