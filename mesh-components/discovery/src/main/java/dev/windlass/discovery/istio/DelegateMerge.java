package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.RequestMatch;
import dev.windlass.discovery.routing.SourceSelector;
import dev.windlass.discovery.routing.TextMatch;
import dev.windlass.traffic.istio.HttpRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's VirtualService delegation: a root rule's matches narrow each delegate rule's matches (every root
 * block with every delegate block; a pair that contradicts itself is dropped, and so is a delegate rule left
 * with none), and the delegate rule inherits the root rule's policies where it sets none of its own.
 */
final class DelegateMerge {
    private DelegateMerge() {
    }

    /** The merged match blocks; null when none survives (the delegate rule is dropped). */
    static List<RequestMatch> matches(List<RequestMatch> root, List<RequestMatch> delegate) {
        if (root.isEmpty()) {
            return delegate;
        }
        if (delegate.isEmpty()) {
            return root;
        }
        List<RequestMatch> merged = new ArrayList<>();
        for (RequestMatch r : root) {
            for (RequestMatch d : delegate) {
                RequestMatch m = merge(r, d);
                if (m != null) {
                    merged.add(m);
                }
            }
        }
        return merged.isEmpty() ? null : merged;
    }

    private static RequestMatch merge(RequestMatch root, RequestMatch delegate) {
        TextMatch path = mergePath(root.path(), delegate.path());
        if (path == null && (root.path() != null || delegate.path() != null)) {
            return null;
        }
        Map<String, RequestMatch.HeaderCondition> headers = new HashMap<>();
        for (RequestMatch.HeaderCondition h : concat(root.headers(), delegate.headers())) {
            RequestMatch.HeaderCondition previous = headers.putIfAbsent(h.name() + "|" + h.invert(), h);
            if (previous != null && !previous.equals(h)) {
                return null;
            }
        }
        if (root.port() != 0 && delegate.port() != 0 && root.port() != delegate.port()) {
            return null;
        }
        SourceSelector source = mergeSource(root.source(), delegate.source());
        if (source == null) {
            return null;
        }
        List<RequestMatch.QueryCondition> query = new ArrayList<>(root.queryParams());
        query.addAll(delegate.queryParams());
        return new RequestMatch(delegate.name().isEmpty() ? root.name() : delegate.name(), path,
                new ArrayList<>(headers.values()).stream().sorted(java.util.Comparator.comparing(RequestMatch.HeaderCondition::name)).toList(),
                query, root.port() != 0 ? root.port() : delegate.port(), source,
                root.gateways().isEmpty() ? delegate.gateways() : root.gateways());
    }

    /** The delegate's path must lie within the root's: a prefix inside the root prefix, or an exact path under it. */
    private static TextMatch mergePath(TextMatch root, TextMatch delegate) {
        if (root == null) {
            return delegate;
        }
        if (delegate == null) {
            return root;
        }
        if (root.kind() == TextMatch.Kind.REGEX || delegate.kind() == TextMatch.Kind.REGEX) {
            return root.equals(delegate) ? root : null;
        }
        if (root.kind() == TextMatch.Kind.PREFIX) {
            return delegate.value().startsWith(root.value()) ? delegate : null;
        }
        return root.equals(delegate) ? root : null;
    }

    private static SourceSelector mergeSource(SourceSelector root, SourceSelector delegate) {
        if (root.namespace() != null && delegate.namespace() != null && !root.namespace().equals(delegate.namespace())) {
            return null;
        }
        Map<String, String> labels = new HashMap<>(root.labels());
        for (Map.Entry<String, String> label : delegate.labels().entrySet()) {
            String previous = labels.putIfAbsent(label.getKey(), label.getValue());
            if (previous != null && !previous.equals(label.getValue())) {
                return null;
            }
        }
        return new SourceSelector(labels, root.namespace() != null ? root.namespace() : delegate.namespace());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The delegate rule, with the root rule's policies wherever the delegate sets none. */
    static HttpRoute inherit(HttpRoute root, HttpRoute child) {
        return new HttpRoute(child.name() != null ? child.name() : root.name(), child.match(), child.route(),
                child.redirect(), child.directResponse(), null,
                child.rewrite() != null ? child.rewrite() : root.rewrite(),
                child.timeout() != null ? child.timeout() : root.timeout(),
                child.retries() != null ? child.retries() : root.retries(),
                child.fault() != null ? child.fault() : root.fault(),
                child.mirror() != null ? child.mirror() : root.mirror(),
                child.mirrorPercentage() != null ? child.mirrorPercentage() : root.mirrorPercentage(),
                child.mirrorPercent() != null ? child.mirrorPercent() : root.mirrorPercent(),
                !child.mirrors().isEmpty() ? child.mirrors() : root.mirrors(),
                child.corsPolicy() != null ? child.corsPolicy() : root.corsPolicy(),
                child.headers() != null ? child.headers() : root.headers());
    }
}
