package dev.windlass.proxy.config.rbac;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.proxy.config.InvalidConfigException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's RBAC filters as Istio writes AuthorizationPolicy: {@code envoy.filters.http.rbac} in an
 * HttpConnectionManager's http_filters (the DENY one, then the ALLOW one) and {@code envoy.filters.network.rbac}
 * before tcp_proxy or the HCM. Other filters stay none of this class's business. A filter without rules enforces
 * nothing (Envoy's); shadow rules only feed Envoy's shadow stats, never a decision, so they are left out.
 */
public final class RbacFilters {
    static final String HTTP_RBAC = "envoy.filters.http.rbac";
    static final String NETWORK_RBAC = "envoy.filters.network.rbac";

    private RbacFilters() {
    }

    /** The HCM's enforcing RBAC filters, in their order. */
    public static List<RbacRules> http(String where, List<HttpFilter> filters) throws InvalidConfigException {
        List<RbacRules> rules = new ArrayList<>();
        for (HttpFilter filter : filters) {
            String at = where + ": http filter " + filter.getName();
            Any config = filter.getTypedConfig();
            if (!config.is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                if (filter.getName().equals(HTTP_RBAC)) {
                    throw new InvalidConfigException(at + ": only an inline typed_config "
                            + "envoy.extensions.filters.http.rbac.v3.RBAC is supported by Windlass");
                }
                continue;
            }
            if (filter.getDisabled()) {
                // Only a route's typed_per_filter_config would enable it, which Windlass does not read.
                throw new InvalidConfigException(at + ": a disabled RBAC filter is not supported by Windlass");
            }
            var rbac = unpack(at, config, io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
            if (rbac.hasMatcher()) {
                throw new InvalidConfigException(at + ": RBAC matcher is not supported by Windlass");
            }
            if (rbac.hasRules()) {
                rules.add(RbacTranslator.rules(at, rbac.getRules()));
            }
        }
        return rules;
    }

    /** A network RBAC filter's rules; null for any other filter, or an RBAC filter that enforces nothing. */
    public static RbacRules network(String where, Filter filter) throws InvalidConfigException {
        String at = where + ": network filter " + filter.getName();
        Any config = filter.getTypedConfig();
        if (!config.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
            if (filter.getName().equals(NETWORK_RBAC)) {
                throw new InvalidConfigException(at + ": only an inline typed_config "
                        + "envoy.extensions.filters.network.rbac.v3.RBAC is supported by Windlass");
            }
            return null;
        }
        var rbac = unpack(at, config, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
        if (rbac.hasMatcher()) {
            throw new InvalidConfigException(at + ": RBAC matcher is not supported by Windlass");
        }
        if (rbac.getEnforcementType() != io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.EnforcementType
                .ONE_TIME_ON_FIRST_BYTE) {
            throw new InvalidConfigException(at + ": RBAC enforcement_type " + rbac.getEnforcementType()
                    + " is not supported by Windlass");
        }
        if (rbac.hasDelayDeny()) {
            throw new InvalidConfigException(at + ": RBAC delay_deny is not supported by Windlass");
        }
        return rbac.hasRules() ? RbacTranslator.rules(at, rbac.getRules()) : null;
    }

    private static <T extends com.google.protobuf.Message> T unpack(String where, Any config, Class<T> type)
            throws InvalidConfigException {
        try {
            return config.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException(where + ": cannot decode " + config.getTypeUrl(), e);
        }
    }
}
