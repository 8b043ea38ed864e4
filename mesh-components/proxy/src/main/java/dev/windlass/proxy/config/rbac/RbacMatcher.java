package dev.windlass.proxy.config.rbac;

import dev.windlass.proxy.config.CidrRange;
import dev.windlass.proxy.config.HeaderMatch;
import dev.windlass.proxy.config.StringMatch;

import java.util.List;

/**
 * One compiled node of an RBAC permission or principal tree (Envoy's Permission and Principal share their shape,
 * so they share these nodes). Evaluation walks prepared objects only: no allocation per request.
 */
public sealed interface RbacMatcher extends Matcher<RbacInput> {

    @Override
    boolean matches(RbacInput input);

    /** and_rules / and_ids: every one matches. */
    record And(List<RbacMatcher> rules) implements RbacMatcher {
        public And {
            rules = List.copyOf(rules);
        }

        @Override
        public boolean matches(RbacInput input) {
            return Matcher.all(rules, input);
        }
    }

    /** or_rules / or_ids, and a policy's permissions or principals: some one matches. */
    record Or(List<RbacMatcher> rules) implements RbacMatcher {
        public Or {
            rules = List.copyOf(rules);
        }

        @Override
        public boolean matches(RbacInput input) {
            return Matcher.any(rules, input);
        }
    }

    /** not_rule / not_id. */
    record Not(RbacMatcher rule) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return !rule.matches(input);
        }
    }

    /** any: true. */
    record Always() implements RbacMatcher {
        public static final Always INSTANCE = new Always();

        @Override
        public boolean matches(RbacInput input) {
            return true;
        }
    }

    /** header: a request header (pseudo-headers included); never matches a connection. */
    record Header(HeaderMatch match) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return input.hasRequest() && match.matches(input.header(match.name()));
        }
    }

    /** url_path: the path without its query string; never matches a connection. */
    record UrlPath(StringMatch path) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return input.hasRequest() && path.matches(input.path());
        }
    }

    record DestinationIp(CidrRange range) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return range.contains(input.destinationIp());
        }
    }

    record DestinationPort(int port) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return input.destinationPort() == port;
        }
    }

    /** direct_remote_ip, source_ip and remote_ip alike: the connection's remote address. */
    record RemoteIp(CidrRange range) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            return range.contains(input.remoteIp());
        }
    }

    /**
     * authenticated: the peer certificate's SPIFFE id matches {@code principalName}; with no name, any verified
     * peer certificate. A connection without one never matches.
     */
    record Authenticated(StringMatch principalName) implements RbacMatcher {
        @Override
        public boolean matches(RbacInput input) {
            String principal = input.peerPrincipal();
            return principal != null && (principalName == null || principalName.matches(principal));
        }
    }

    /**
     * metadata of {@code envoy.filters.http.jwt_authn}: the value at {@code path} in the payload of the request's
     * verified JWT (kept under {@code payloadKey}). Without a verified token, or on a connection, nothing is there.
     */
    record JwtPayload(String payloadKey, List<String> path, MetadataValueMatch value, boolean invert) implements RbacMatcher {
        public JwtPayload {
            path = List.copyOf(path);
        }

        @Override
        public boolean matches(RbacInput input) {
            com.google.gson.JsonElement at = input.hasRequest() ? input.jwtPayload(payloadKey) : null;
            for (int i = 0; i < path.size() && at != null; i++) {
                at = at.isJsonObject() ? at.getAsJsonObject().get(path.get(i)) : null;
            }
            return value.matches(at) != invert;
        }
    }
}
