package dev.windlass.proxy.config;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;

/** RouteConfiguration (RDS, or inline in an HttpConnectionManager) to {@link RouteTable}. */
public final class RouteTranslator {
    private RouteTranslator() {
    }

    public static RouteTable translate(RouteConfiguration config) throws InvalidConfigException {
        List<VirtualHostConfig> hosts = new ArrayList<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            List<RouteRule> routes = new ArrayList<>();
            for (Route route : host.getRoutesList()) {
                routes.add(rule(config.getName(), route));
            }
            hosts.add(new VirtualHostConfig(host.getName(), host.getDomainsList(), routes));
        }
        return new RouteTable(config.getName(), hosts);
    }

    private static RouteRule rule(String table, Route route) throws InvalidConfigException {
        RouteMatch match = route.getMatch();
        List<HeaderMatch> headers = new ArrayList<>();
        for (HeaderMatcher header : match.getHeadersList()) {
            headers.add(header(header));
        }
        return new RouteRule(route.getName(), path(table, match), headers, action(route));
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

    static HeaderMatch header(HeaderMatcher header) throws InvalidConfigException {
        String name = header.getName().toLowerCase(java.util.Locale.ROOT);
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

    static StringMatch stringMatch(StringMatcher matcher) throws InvalidConfigException {
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
            case ROUTE -> forward(route.getRoute());
            case DIRECT_RESPONSE -> new RouteAction.DirectResponse(route.getDirectResponse().getStatus(),
                    route.getDirectResponse().getBody().getInlineString());
            default -> new RouteAction.Unsupported(route.getActionCase().name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    private static RouteAction forward(io.envoyproxy.envoy.config.route.v3.RouteAction action)
            throws InvalidConfigException {
        switch (action.getClusterSpecifierCase()) {
            case CLUSTER:
                return RouteAction.Forward.to(action.getCluster());
            case WEIGHTED_CLUSTERS:
                List<RouteAction.WeightedCluster> clusters = new ArrayList<>();
                int total = 0;
                for (WeightedCluster.ClusterWeight weight : action.getWeightedClusters().getClustersList()) {
                    int value = weight.hasWeight() ? weight.getWeight().getValue() : 0;
                    clusters.add(new RouteAction.WeightedCluster(weight.getName(), value));
                    total += value;
                }
                if (clusters.isEmpty() || total <= 0) {
                    throw new InvalidConfigException("weighted_clusters with no weight");
                }
                return new RouteAction.Forward(clusters, total);
            default:
                return new RouteAction.Unsupported("cluster specifier " + action.getClusterSpecifierCase());
        }
    }
}
