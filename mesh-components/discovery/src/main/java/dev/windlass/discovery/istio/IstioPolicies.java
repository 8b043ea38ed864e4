package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.ClusterRef;
import dev.windlass.discovery.routing.CorsRules;
import dev.windlass.discovery.routing.FaultPolicy;
import dev.windlass.discovery.routing.HeaderEdits;
import dev.windlass.discovery.routing.HttpAction;
import dev.windlass.discovery.routing.RetryPolicy;
import dev.windlass.discovery.routing.TextMatch;
import dev.windlass.traffic.istio.Destination;
import dev.windlass.traffic.istio.Durations;
import dev.windlass.traffic.istio.Headers;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.StringMatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The policies of an Istio HTTP route in the routing model's terms: retries, faults, mirrors, CORS, header edits
 * and rewrites. Values were validated at admission; what is parsed here is known to parse.
 */
final class IstioPolicies {
    private IstioPolicies() {
    }

    /** Istio: no {@code retries} means its default policy; {@code attempts: 0} means none. */
    static RetryPolicy retries(HttpRoute.Retry retry) {
        if (retry == null) {
            return RetryPolicy.ISTIO_DEFAULT;
        }
        int attempts = retry.attempts() == null ? 0 : retry.attempts();
        if (attempts == 0) {
            return RetryPolicy.NONE;
        }
        Duration perTry = retry.perTryTimeout() == null ? null : Durations.parse(retry.perTryTimeout());
        if (retry.retryOn() == null || retry.retryOn().isBlank()) {
            return new RetryPolicy(attempts, perTry, RetryPolicy.ISTIO_DEFAULT.retryOn(),
                    RetryPolicy.ISTIO_DEFAULT.statusCodes());
        }
        List<String> conditions = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        for (String part : retry.retryOn().split(",")) {
            String condition = part.trim();
            if (condition.chars().allMatch(Character::isDigit) && !condition.isEmpty()) {
                codes.add(Integer.parseInt(condition));
            } else if (!condition.isEmpty() && !conditions.contains(condition)) {
                conditions.add(condition);
            }
        }
        if (!codes.isEmpty() && !conditions.contains("retriable-status-codes")) {
            conditions.add("retriable-status-codes");
        }
        return new RetryPolicy(attempts, perTry, String.join(",", conditions), codes);
    }

    static FaultPolicy fault(HttpRoute.FaultInjection fault) {
        if (fault == null) {
            return FaultPolicy.NONE;
        }
        FaultPolicy.Delay delay = null;
        if (fault.delay() != null) {
            var d = fault.delay();
            double percent = d.percentage() != null ? d.percentage().orZero() : d.percent() != null ? d.percent() : 100;
            delay = new FaultPolicy.Delay(Durations.parse(d.fixedDelay()), percent);
        }
        FaultPolicy.Abort abort = null;
        if (fault.abort() != null) {
            var a = fault.abort();
            double percent = a.percentage() != null ? a.percentage().orZero() : 100;
            abort = new FaultPolicy.Abort(a.httpStatus() == null ? 0 : a.httpStatus(), a.grpcStatus(), percent);
        }
        return new FaultPolicy(delay, abort);
    }

    /** {@code mirror} with {@code mirrorPercentage} (or the deprecated {@code mirrorPercent}; 100 by default), and {@code mirrors}. */
    static List<HttpAction.Mirror> mirrors(HttpRoute route, String namespace, String clusterDomain) {
        List<HttpAction.Mirror> mirrors = new ArrayList<>();
        if (route.mirror() != null) {
            double percent = route.mirrorPercentage() != null ? route.mirrorPercentage().orZero()
                    : route.mirrorPercent() != null ? route.mirrorPercent() : 100;
            mirrors.add(new HttpAction.Mirror(cluster(route.mirror(), namespace, clusterDomain), percent));
        }
        for (HttpRoute.MirrorPolicy policy : route.mirrors()) {
            double percent = policy.percentage() != null ? policy.percentage().orZero() : 100;
            mirrors.add(new HttpAction.Mirror(cluster(policy.destination(), namespace, clusterDomain), percent));
        }
        return mirrors;
    }

    static ClusterRef cluster(Destination destination, String namespace, String clusterDomain) {
        return new ClusterRef(Hosts.resolve(destination.host(), namespace, clusterDomain), destination.subsetOrEmpty(),
                destination.portNumber());
    }

    static HttpAction.Rewrite rewrite(HttpRoute.Rewrite rewrite) {
        if (rewrite == null) {
            return HttpAction.Rewrite.NONE;
        }
        var regex = rewrite.uriRegexRewrite();
        return new HttpAction.Rewrite(rewrite.uri(), regex == null ? null : regex.match(),
                regex == null ? null : regex.rewrite(), rewrite.authority());
    }

    static HeaderEdits.Both headers(Headers headers) {
        if (headers == null) {
            return HeaderEdits.Both.NONE;
        }
        return new HeaderEdits.Both(edits(headers.request()), edits(headers.response()));
    }

    private static HeaderEdits edits(Headers.HeaderOperations ops) {
        if (ops == null) {
            return HeaderEdits.NONE;
        }
        return new HeaderEdits(lower(ops.set()), lower(ops.add()),
                ops.remove().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    private static java.util.Map<String, String> lower(java.util.Map<String, String> map) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** {@code allowOrigin} (deprecated, exact strings) counts as exact {@code allowOrigins}. */
    static CorsRules cors(HttpRoute.CorsPolicy cors) {
        if (cors == null) {
            return null;
        }
        List<TextMatch> origins = new ArrayList<>();
        for (StringMatch origin : cors.allowOrigins()) {
            origins.add(IstioMatches.text(origin, false));
        }
        cors.allowOrigin().forEach(o -> origins.add(o.equals("*") ? TextMatch.prefix("") : TextMatch.exact(o)));
        Duration maxAge = cors.maxAge() == null ? null : Durations.parse(cors.maxAge());
        boolean forward = !"IGNORE".equals(cors.unmatchedPreflights());
        return new CorsRules(origins, cors.allowMethods(), cors.allowHeaders(), cors.exposeHeaders(), maxAge,
                cors.allowCredentials(), forward);
    }
}
