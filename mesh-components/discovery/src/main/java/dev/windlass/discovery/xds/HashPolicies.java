package dev.windlass.discovery.xds;

import com.google.protobuf.Duration;
import dev.windlass.discovery.routing.DestinationPolicy.HashKey;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;

/** A DestinationRule's consistent-hash key as Envoy's route hash_policy, written as Istio writes it. */
final class HashPolicies {
    private HashPolicies() {
    }

    static HashPolicy of(HashKey key) {
        HashPolicy.Builder policy = HashPolicy.newBuilder();
        return switch (key) {
            case HashKey.Header header -> policy.setHeader(HashPolicy.Header.newBuilder().setHeaderName(header.name())).build();
            case HashKey.Cookie cookie -> {
                HashPolicy.Cookie.Builder out = HashPolicy.Cookie.newBuilder().setName(cookie.name()).setPath(cookie.path());
                if (cookie.ttl() != null) {
                    out.setTtl(Duration.newBuilder().setSeconds(cookie.ttl().getSeconds()).setNanos(cookie.ttl().getNano()));
                }
                yield policy.setCookie(out).build();
            }
            case HashKey.SourceIp ignored -> policy.setConnectionProperties(
                    HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true)).build();
            case HashKey.QueryParameter query -> policy.setQueryParameter(
                    HashPolicy.QueryParameter.newBuilder().setName(query.name())).build();
        };
    }
}
