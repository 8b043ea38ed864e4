package dev.windlass.proxy.config.rbac;

import dev.windlass.contract.IstioNames;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.RouteTranslator;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * An RBAC metadata principal, as Istio writes request principals and {@code request.auth.*} conditions: a path
 * into the metadata of {@code envoy.filters.http.jwt_authn} (the payload key, then claim names) and a value matcher
 * (string, present, list one_of, or). Metadata of any other filter is refused: Windlass has no other.
 */
final class JwtMetadata {
    private JwtMetadata() {
    }

    static RbacMatcher matcher(String where, MetadataMatcher metadata) throws InvalidConfigException {
        if (!metadata.getFilter().equals(IstioNames.JWT_AUTHN_FILTER)) {
            throw new InvalidConfigException(where + ": principal metadata is not supported by Windlass (only "
                    + IstioNames.JWT_AUTHN_FILTER + "'s, not " + metadata.getFilter() + "'s)");
        }
        if (metadata.getPathCount() == 0) {
            throw new InvalidConfigException(where + ": metadata matcher without a path");
        }
        List<String> keys = new ArrayList<>();
        for (MetadataMatcher.PathSegment segment : metadata.getPathList()) {
            keys.add(segment.getKey());
        }
        return new RbacMatcher.JwtPayload(keys.getFirst(), keys.subList(1, keys.size()), value(where, metadata.getValue()),
                metadata.getInvert());
    }

    private static MetadataValueMatch value(String where, ValueMatcher value) throws InvalidConfigException {
        return switch (value.getMatchPatternCase()) {
            case STRING_MATCH -> new MetadataValueMatch.Text(RouteTranslator.stringMatch(value.getStringMatch()));
            case PRESENT_MATCH -> {
                if (!value.getPresentMatch()) {
                    throw new InvalidConfigException(where + ": present_match false is not supported by Windlass");
                }
                yield new MetadataValueMatch.Present();
            }
            case LIST_MATCH -> new MetadataValueMatch.OneOf(value(where, value.getListMatch().getOneOf()));
            case OR_MATCH -> {
                List<MetadataValueMatch> any = new ArrayList<>();
                for (ValueMatcher m : value.getOrMatch().getValueMatchersList()) {
                    any.add(value(where, m));
                }
                yield new MetadataValueMatch.AnyOf(any);
            }
            default -> throw new InvalidConfigException(where + ": metadata value matcher "
                    + value.getMatchPatternCase().name().toLowerCase(java.util.Locale.ROOT) + " is not supported by Windlass");
        };
    }
}
