package dev.windlass.proxy.config;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * RouteConfiguration (RDS, or inline in an HttpConnectionManager) to {@link RouteTable}: every matcher, action
 * and policy compiled once, so that a request only walks prepared objects.
 */
public final class RouteTranslator {
    /** Route fields the proxy implements (metadata is data for filters and telemetry, with no behaviour of its own). */
    private static final Set<String> ROUTE = Set.of("name", "match", "route", "redirect", "direct_response", "metadata",
            "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove",
            "typed_per_filter_config");
    private static final Set<String> MATCH = Set.of("prefix", "path", "safe_regex", "path_separated_prefix", "case_sensitive",
            "headers", "query_parameters");
    private static final Set<String> ROUTE_ACTION = Set.of("cluster", "weighted_clusters", "timeout", "retry_policy",
            "max_stream_duration", "request_mirror_policies", "prefix_rewrite", "regex_rewrite", "host_rewrite_literal",
            "hash_policy");
    private static final Set<String> CLUSTER_WEIGHT = Set.of("name", "weight", "request_headers_to_add",
            "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove", "host_rewrite_literal");

    private RouteTranslator() {
    }

    public static RouteTable translate(RouteConfiguration config) throws InvalidConfigException {
        List<VirtualHostConfig> hosts = new ArrayList<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            List<RouteRule> routes = new ArrayList<>();
            for (Route route : host.getRoutesList()) {
                routes.add(rule(config.getName(), route));
            }
            hosts.add(new VirtualHostConfig(host.getName(), host.getDomainsList(), routes,
                    host.getIncludeRequestAttemptCount(), requireTls(config.getName(), host)));
        }
        return new RouteTable(config.getName(), hosts);
    }

    private static VirtualHostConfig.TlsRequirement requireTls(String table, VirtualHost host)
            throws InvalidConfigException {
        return switch (host.getRequireTls()) {
            case NONE -> VirtualHostConfig.TlsRequirement.NONE;
            case EXTERNAL_ONLY -> VirtualHostConfig.TlsRequirement.EXTERNAL_ONLY;
            case ALL -> VirtualHostConfig.TlsRequirement.ALL;
            default -> throw new InvalidConfigException("route configuration " + table + ": virtual host "
                    + host.getName() + " require_tls " + host.getRequireTls());
        };
    }

    private static RouteRule rule(String table, Route route) throws InvalidConfigException {
        String where = "route configuration " + table + ", route " + route.getName();
        ProtoFields.only(route, where, ROUTE);
        RouteMatch match = route.getMatch();
        ProtoFields.only(match, where, MATCH);
        List<HeaderMatch> headers = new ArrayList<>();
        for (HeaderMatcher header : match.getHeadersList()) {
            headers.add(header(header));
        }
        List<QueryMatch> query = new ArrayList<>();
        for (QueryParameterMatcher q : match.getQueryParametersList()) {
            query.add(new QueryMatch(q.getName(), q.hasStringMatch() ? stringMatch(q.getStringMatch()) : null));
        }
        PathMatch path = path(table, match);
        return new RouteRule(route.getName(), path, headers, query, action(route),
                RoutePolicyTranslator.headers(route.getRequestHeadersToAddList(), route.getRequestHeadersToRemoveList()),
                RoutePolicyTranslator.headers(route.getResponseHeadersToAddList(), route.getResponseHeadersToRemoveList()),
                RoutePolicyTranslator.fault(route), RoutePolicyTranslator.cors(route));
    }

    static PathMatch path(String table, RouteMatch match) throws InvalidConfigException {
        boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
        return switch (match.getPathSpecifierCase()) {
            case PREFIX -> new PathMatch(PathMatch.Kind.PREFIX, match.getPrefix(), null, caseSensitive);
            case PATH -> new PathMatch(PathMatch.Kind.EXACT, match.getPath(), null, caseSensitive);
            case PATH_SEPARATED_PREFIX ->
                    new PathMatch(PathMatch.Kind.SEPARATED_PREFIX, match.getPathSeparatedPrefix(), null, caseSensitive);
            case SAFE_REGEX -> new PathMatch(PathMatch.Kind.REGEX, match.getSafeRegex().getRegex(),
                    Regexes.compile(match.getSafeRegex().getRegex()), true);
            default -> throw new InvalidConfigException("route configuration " + table
                    + ": unsupported path matcher " + match.getPathSpecifierCase());
        };
    }

    public static HeaderMatch header(HeaderMatcher header) throws InvalidConfigException {
        String name = header.getName().toLowerCase(Locale.ROOT);
        boolean invert = header.getInvertMatch();
        return switch (header.getHeaderMatchSpecifierCase()) {
            case EXACT_MATCH -> string(name, StringMatch.of(StringMatch.Kind.EXACT, header.getExactMatch(), false), invert);
            case PREFIX_MATCH -> string(name, StringMatch.of(StringMatch.Kind.PREFIX, header.getPrefixMatch(), false), invert);
            case SUFFIX_MATCH -> string(name, StringMatch.of(StringMatch.Kind.SUFFIX, header.getSuffixMatch(), false), invert);
            case CONTAINS_MATCH ->
                    string(name, StringMatch.of(StringMatch.Kind.CONTAINS, header.getContainsMatch(), false), invert);
            case SAFE_REGEX_MATCH -> string(name, StringMatch.regex(header.getSafeRegexMatch().getRegex()), invert);
            case STRING_MATCH -> string(name, stringMatch(header.getStringMatch()), invert);
            case PRESENT_MATCH -> new HeaderMatch(name, null, true, header.getPresentMatch(), invert);
            // No specifier: Envoy treats the matcher as "header is present".
            case HEADERMATCHSPECIFIER_NOT_SET -> new HeaderMatch(name, null, true, true, invert);
            default -> throw new InvalidConfigException("unsupported header matcher "
                    + header.getHeaderMatchSpecifierCase() + " on " + name);
        };
    }

    private static HeaderMatch string(String name, StringMatch match, boolean invert) {
        return new HeaderMatch(name, match, false, true, invert);
    }

    public static StringMatch stringMatch(StringMatcher matcher) throws InvalidConfigException {
        boolean ignoreCase = matcher.getIgnoreCase();
        return switch (matcher.getMatchPatternCase()) {
            case EXACT -> StringMatch.of(StringMatch.Kind.EXACT, matcher.getExact(), ignoreCase);
            case PREFIX -> StringMatch.of(StringMatch.Kind.PREFIX, matcher.getPrefix(), ignoreCase);
            case SUFFIX -> StringMatch.of(StringMatch.Kind.SUFFIX, matcher.getSuffix(), ignoreCase);
            case CONTAINS -> StringMatch.of(StringMatch.Kind.CONTAINS, matcher.getContains(), ignoreCase);
            case SAFE_REGEX -> StringMatch.regex(matcher.getSafeRegex().getRegex());
            default -> throw new InvalidConfigException("unsupported string matcher " + matcher.getMatchPatternCase());
        };
    }

    private static RouteAction action(Route route) throws InvalidConfigException {
        return switch (route.getActionCase()) {
            case ROUTE -> forward(route.getName(), route.getRoute());
            case REDIRECT -> new RouteAction.Redirect(redirect(route.getRedirect()));
            case DIRECT_RESPONSE -> new RouteAction.DirectResponse(route.getDirectResponse().getStatus(),
                    route.getDirectResponse().getBody().getInlineString());
            default -> new RouteAction.Unsupported(route.getActionCase().name().toLowerCase(Locale.ROOT));
        };
    }

    private static RouteAction forward(String route, io.envoyproxy.envoy.config.route.v3.RouteAction action)
            throws InvalidConfigException {
        WeightedClusters clusters = switch (action.getClusterSpecifierCase()) {
            case CLUSTER -> WeightedClusters.single(action.getCluster());
            case WEIGHTED_CLUSTERS -> weighted(action.getWeightedClusters());
            default -> null;
        };
        if (clusters == null) {
            return new RouteAction.Unsupported("cluster specifier " + action.getClusterSpecifierCase());
        }
        if (action.getUpgradeConfigsCount() > 0) {
            throw new InvalidConfigException(route + ": RouteAction.upgrade_configs is not supported by Windlass"
                    + " (the HttpConnectionManager's websocket upgrade_configs are)");
        }
        ProtoFields.only(action, "route " + route, ROUTE_ACTION);
        ProtoFields.only(action.getMaxStreamDuration(), "route " + route, Set.of("max_stream_duration", "grpc_timeout_header_max"));
        // Envoy's default route timeout is 15 s; Istio always sends one (0s: none).
        long timeout = action.hasTimeout() ? RoutePolicyTranslator.nanos(action.getTimeout()) : 15_000_000_000L;
        RetryConfig retry = action.hasRetryPolicy() ? RoutePolicyTranslator.retry(action.getRetryPolicy()) : RetryConfig.NONE;
        var maxStream = action.getMaxStreamDuration();
        if (maxStream.hasMaxStreamDuration() && RoutePolicyTranslator.nanos(maxStream.getMaxStreamDuration()) > 0) {
            // Counted from the stream's start in Envoy; here the earlier of the two limits, from the request's end.
            long max = RoutePolicyTranslator.nanos(maxStream.getMaxStreamDuration());
            timeout = timeout == 0 ? max : Math.min(timeout, max);
        }
        long grpcMax = maxStream.hasGrpcTimeoutHeaderMax() ? RoutePolicyTranslator.nanos(maxStream.getGrpcTimeoutHeaderMax()) : -1;
        return new RouteAction.Forward(clusters, timeout, retry, RoutePolicyTranslator.mirrors(action),
                pathRewrite(route, action), action.getHostRewriteLiteral().isEmpty() ? null : action.getHostRewriteLiteral(),
                hashKey(route, action), grpcMax);
    }

    /**
     * The route's hash policy, as Istio writes consistentHash: one header, cookie, source address or query
     * parameter; several policies, terminal ones and header rewrites are refused.
     */
    private static HashKey hashKey(String route, io.envoyproxy.envoy.config.route.v3.RouteAction action)
            throws InvalidConfigException {
        if (action.getHashPolicyCount() == 0) {
            return null;
        }
        var policy = action.getHashPolicy(0);
        HashKey key = action.getHashPolicyCount() > 1 || policy.getTerminal() ? null : switch (policy.getPolicySpecifierCase()) {
            case HEADER -> policy.getHeader().hasRegexRewrite() ? null
                    : new HashKey.Header(policy.getHeader().getHeaderName().toLowerCase(Locale.ROOT));
            case COOKIE -> policy.getCookie().getAttributesCount() > 0 ? null : new HashKey.Cookie(policy.getCookie().getName(),
                    policy.getCookie().getPath(), policy.getCookie().hasTtl() ? policy.getCookie().getTtl().getSeconds() : HashKey.Cookie.NO_TTL);
            case CONNECTION_PROPERTIES -> policy.getConnectionProperties().getSourceIp() ? new HashKey.SourceIp() : null;
            case QUERY_PARAMETER -> new HashKey.QueryParameter(policy.getQueryParameter().getName());
            default -> null;
        };
        if (key == null) {
            throw new InvalidConfigException("route " + route + ": hash_policy other than one header, cookie, source_ip or"
                    + " query parameter is not supported by Windlass");
        }
        return key;
    }

    private static WeightedClusters weighted(WeightedCluster weighted) throws InvalidConfigException {
        ProtoFields.only(weighted, "weighted_clusters", Set.of("clusters"));
        List<WeightedClusters.Entry> entries = new ArrayList<>();
        for (WeightedCluster.ClusterWeight c : weighted.getClustersList()) {
            ProtoFields.only(c, "weighted cluster " + c.getName(), CLUSTER_WEIGHT);
            int weight = c.hasWeight() ? c.getWeight().getValue() : 0;
            entries.add(new WeightedClusters.Entry(c.getName(), weight,
                    RoutePolicyTranslator.headers(c.getRequestHeadersToAddList(), c.getRequestHeadersToRemoveList()),
                    RoutePolicyTranslator.headers(c.getResponseHeadersToAddList(), c.getResponseHeadersToRemoveList()),
                    c.getHostRewriteLiteral().isEmpty() ? null : c.getHostRewriteLiteral()));
        }
        return new WeightedClusters(entries);
    }

    private static PathRewrite pathRewrite(String route, io.envoyproxy.envoy.config.route.v3.RouteAction action)
            throws InvalidConfigException {
        if (action.hasRegexRewrite()) {
            var regex = action.getRegexRewrite();
            return new PathRewrite(null, Regexes.compile(regex.getPattern().getRegex()),
                    PathRewrite.substitution(regex.getSubstitution()));
        }
        return action.getPrefixRewrite().isEmpty() ? null : new PathRewrite(action.getPrefixRewrite(), null, null);
    }

    private static RedirectConfig redirect(RedirectAction redirect) throws InvalidConfigException {
        int status = switch (redirect.getResponseCode()) {
            case MOVED_PERMANENTLY -> 301;
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            default -> throw new InvalidConfigException("redirect response code " + redirect.getResponseCode());
        };
        String scheme = redirect.getHttpsRedirect() ? "https" : redirect.getSchemeRedirect().isEmpty() ? null
                : redirect.getSchemeRedirect();
        return new RedirectConfig(scheme, redirect.getHostRedirect().isEmpty() ? null : redirect.getHostRedirect(),
                redirect.getPortRedirect(), redirect.getPathRedirect().isEmpty() ? null : redirect.getPathRedirect(),
                redirect.getPrefixRewrite().isEmpty() ? null : redirect.getPrefixRewrite(), redirect.getStripQuery(), status);
    }
}
