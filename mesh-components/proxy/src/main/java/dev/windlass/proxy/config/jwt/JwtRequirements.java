package dev.windlass.proxy.config.jwt;

import dev.windlass.proxy.config.InvalidConfigException;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement.RequiresTypeCase;

import java.util.ArrayList;
import java.util.List;

/** A JwtRequirement proto to the compiled tree; provider names become indexes, unknown ones are refused. */
final class JwtRequirements {
    private JwtRequirements() {
    }

    /** {@code siblings}: the providers named beside an allow_missing (Envoy's extractor for it reads theirs). */
    static JwtRequirement compile(String where, io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement r,
                                  List<String> names, List<Integer> siblings) throws InvalidConfigException {
        return switch (r.getRequiresTypeCase()) {
            case PROVIDER_NAME -> new JwtRequirement.Provider(index(where, names, r.getProviderName()));
            case REQUIRES_ANY -> {
                List<Integer> named = new ArrayList<>();
                for (var child : r.getRequiresAny().getRequirementsList()) {
                    if (child.getRequiresTypeCase() == RequiresTypeCase.PROVIDER_NAME) {
                        named.add(index(where, names, child.getProviderName()));
                    }
                }
                yield new JwtRequirement.Any(children(where, r.getRequiresAny().getRequirementsList(), names, named));
            }
            case REQUIRES_ALL -> new JwtRequirement.All(children(where, r.getRequiresAll().getRequirementsList(), names, List.of()));
            case ALLOW_MISSING -> new JwtRequirement.AllowMissing(siblings.stream().mapToInt(Integer::intValue).toArray());
            default -> throw new InvalidConfigException(where + ": requirement " + r.getRequiresTypeCase().name()
                    .toLowerCase(java.util.Locale.ROOT) + " is not supported by Windlass");
        };
    }

    private static List<JwtRequirement> children(String where,
                                                 List<io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement> list,
                                                 List<String> names, List<Integer> siblings) throws InvalidConfigException {
        List<JwtRequirement> compiled = new ArrayList<>();
        for (var child : list) {
            compiled.add(compile(where, child, names, siblings));
        }
        return compiled;
    }

    private static int index(String where, List<String> names, String name) throws InvalidConfigException {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new InvalidConfigException(where + ": required provider " + name + " is not configured");
        }
        return index;
    }
}
