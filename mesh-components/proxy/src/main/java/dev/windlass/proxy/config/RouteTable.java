package dev.windlass.proxy.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A route configuration, indexed for Envoy's virtual host selection: an exact domain first, then the longest
 * suffix wildcard ({@code *.example.com}), then the longest prefix wildcard ({@code example.*}), then {@code *}.
 * Domains compare case-insensitively.
 */
public final class RouteTable {
    private final String name;
    private final List<VirtualHostConfig> virtualHosts;
    private final Map<String, VirtualHostConfig> exact = new HashMap<>();
    private final List<Map.Entry<String, VirtualHostConfig>> suffixes = new ArrayList<>();
    private final List<Map.Entry<String, VirtualHostConfig>> prefixes = new ArrayList<>();
    private VirtualHostConfig catchAll;

    /** Fails when a domain appears twice (Envoy refuses such a route configuration too). */
    public RouteTable(String name, List<VirtualHostConfig> virtualHosts) throws InvalidConfigException {
        this.name = name;
        this.virtualHosts = List.copyOf(virtualHosts);
        for (VirtualHostConfig host : virtualHosts) {
            for (String domain : host.domains()) {
                index(domain.toLowerCase(Locale.ROOT), host);
            }
        }
        Comparator<Map.Entry<String, VirtualHostConfig>> longestFirst =
                Comparator.comparingInt(entry -> -entry.getKey().length());
        suffixes.sort(longestFirst);
        prefixes.sort(longestFirst);
    }

    private void index(String domain, VirtualHostConfig host) throws InvalidConfigException {
        boolean duplicate;
        if (domain.equals("*")) {
            duplicate = catchAll != null;
            catchAll = host;
        } else if (domain.startsWith("*")) {
            duplicate = contains(suffixes, domain.substring(1));
            suffixes.add(Map.entry(domain.substring(1), host));
        } else if (domain.endsWith("*")) {
            duplicate = contains(prefixes, domain.substring(0, domain.length() - 1));
            prefixes.add(Map.entry(domain.substring(0, domain.length() - 1), host));
        } else {
            duplicate = exact.putIfAbsent(domain, host) != null;
        }
        if (duplicate) {
            throw new InvalidConfigException("route configuration " + name + ": domain \"" + domain
                    + "\" appears in more than one virtual host");
        }
    }

    private static boolean contains(List<Map.Entry<String, VirtualHostConfig>> entries, String key) {
        return entries.stream().anyMatch(entry -> entry.getKey().equals(key));
    }

    public String name() {
        return name;
    }

    public List<VirtualHostConfig> virtualHosts() {
        return virtualHosts;
    }

    /** The virtual host for a Host header, or null. A host with a port that matches nothing is tried without it. */
    public VirtualHostConfig virtualHost(String authority) {
        String host = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        VirtualHostConfig found = lookup(host);
        if (found == null) {
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(']') < colon) {
                found = lookup(host.substring(0, colon));
            }
        }
        return found != null ? found : catchAll;
    }

    private VirtualHostConfig lookup(String host) {
        VirtualHostConfig found = exact.get(host);
        if (found != null) {
            return found;
        }
        // A wildcard must match at least one character, as in Envoy.
        for (Map.Entry<String, VirtualHostConfig> entry : suffixes) {
            if (host.length() > entry.getKey().length() && host.endsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        for (Map.Entry<String, VirtualHostConfig> entry : prefixes) {
            if (host.length() > entry.getKey().length() && host.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The route for a request, or null when no virtual host or no route matches. */
    public RouteRule route(RouteRequest request) {
        VirtualHostConfig host = virtualHost(request.authority());
        return host == null ? null : host.route(request);
    }
}
