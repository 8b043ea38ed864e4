package dev.windlass.discovery.xds;

import com.google.protobuf.UInt32Value;
import dev.windlass.contract.SpiffeId;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Condition;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Operation;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Source;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One AuthorizationPolicy rule as an Envoy RBAC policy, as Istio's authz builder writes it: the permission is what
 * is asked ({@code to} entries ORed, each one's fields ANDed, each field's values ORed; destination conditions
 * ANDed), the principal who asks ({@code from} the same way; request headers and source conditions ANDed). Peer
 * principals are SPIFFE ids from the client certificate ({@code authenticated}), request principals and
 * {@code request.auth.*} match the verified JWT ({@link JwtPrincipals}); {@code *} at either end of a value
 * is a prefix or suffix match. {@code tcp}: the rule is for a TCP chain, where HTTP-only fields mean nothing and are
 * left out (the caller drops ALLOW rules that have them, as Istio does; a DENY rule without them denies more).
 */
final class RbacRules {
    private RbacRules() {
    }

    /** Whether the rule names HTTP-only attributes (methods, paths, hosts, request headers). */
    static boolean httpOnly(AuthorizationPolicySpec.Rule rule) {
        boolean operations = rule.to().stream().map(AuthorizationPolicySpec.To::operation).anyMatch(o ->
                !o.methods().isEmpty() || !o.notMethods().isEmpty() || !o.paths().isEmpty() || !o.notPaths().isEmpty()
                        || !o.hosts().isEmpty() || !o.notHosts().isEmpty());
        boolean jwt = rule.from().stream().map(AuthorizationPolicySpec.From::source).anyMatch(s ->
                !s.requestPrincipals().isEmpty() || !s.notRequestPrincipals().isEmpty());
        return operations || jwt || rule.when().stream().anyMatch(c -> c.key().startsWith("request."));
    }

    static Policy policy(AuthorizationPolicySpec.Rule rule, boolean tcp) {
        List<Permission> permissions = new ArrayList<>();
        List<Permission> to = rule.to().stream().map(t -> operation(t.operation(), tcp)).toList();
        if (!to.isEmpty()) {
            permissions.add(orPermissions(to));
        }
        List<Principal> principals = new ArrayList<>();
        List<Principal> from = rule.from().stream().map(f -> source(f.source(), tcp)).toList();
        if (!from.isEmpty()) {
            principals.add(orPrincipals(from));
        }
        for (Condition condition : rule.when()) {
            switch (condition.key()) {
                case "destination.ip" -> permissions.add(permissionCondition(condition,
                        v -> Permission.newBuilder().setDestinationIp(cidr(v)).build()));
                case "destination.port" -> permissions.add(permissionCondition(condition, RbacRules::port));
                default -> {
                    if (tcp && condition.key().startsWith("request.")) {
                        continue;
                    }
                    principals.add(condition.key().startsWith("request.auth.") ? jwtCondition(condition)
                            : principalCondition(condition, sourceAttribute(condition.key())));
                }
            }
        }
        return Policy.newBuilder()
                .addPermissions(permissions.isEmpty() ? Permission.newBuilder().setAny(true).build() : andPermissions(permissions))
                .addPrincipals(principals.isEmpty() ? Principal.newBuilder().setAny(true).build() : andPrincipals(principals))
                .build();
    }

    private static Permission operation(Operation op, boolean tcp) {
        List<Permission> fields = new ArrayList<>();
        field(fields, op.ports(), op.notPorts(), RbacRules::port);
        if (!tcp) {
            field(fields, op.methods(), op.notMethods(), m -> header(":method", exactOrWildcard(m, false)));
            field(fields, op.paths(), op.notPaths(), p -> Permission.newBuilder()
                    .setUrlPath(PathMatcher.newBuilder().setPath(exactOrWildcard(p, false))).build());
            field(fields, op.hosts(), op.notHosts(), h -> header(":authority", exactOrWildcard(h, true)));
        }
        return fields.isEmpty() ? Permission.newBuilder().setAny(true).build() : andPermissions(fields);
    }

    private static void field(List<Permission> fields, List<String> values, List<String> notValues,
                              Function<String, Permission> one) {
        if (!values.isEmpty()) {
            fields.add(orPermissions(values.stream().map(one).toList()));
        }
        if (!notValues.isEmpty()) {
            fields.add(Permission.newBuilder().setNotRule(orPermissions(notValues.stream().map(one).toList())).build());
        }
    }

    private static Principal source(Source source, boolean tcp) {
        List<Principal> fields = new ArrayList<>();
        principalField(fields, source.principals(), source.notPrincipals(), RbacRules::peer);
        if (!tcp) {
            principalField(fields, source.requestPrincipals(), source.notRequestPrincipals(), JwtPrincipals::requestPrincipal);
        }
        principalField(fields, source.namespaces(), source.notNamespaces(), RbacRules::namespace);
        principalField(fields, source.ipBlocks(), source.notIpBlocks(), v -> Principal.newBuilder().setDirectRemoteIp(cidr(v)).build());
        principalField(fields, source.remoteIpBlocks(), source.notRemoteIpBlocks(), v -> Principal.newBuilder().setRemoteIp(cidr(v)).build());
        return fields.isEmpty() ? Principal.newBuilder().setAny(true).build() : andPrincipals(fields);
    }

    private static void principalField(List<Principal> fields, List<String> values, List<String> notValues,
                                       Function<String, Principal> one) {
        if (!values.isEmpty()) {
            fields.add(orPrincipals(values.stream().map(one).toList()));
        }
        if (!notValues.isEmpty()) {
            fields.add(Principal.newBuilder().setNotId(orPrincipals(notValues.stream().map(one).toList())).build());
        }
    }

    private static Function<String, Principal> sourceAttribute(String key) {
        return switch (key) {
            case "source.ip" -> v -> Principal.newBuilder().setDirectRemoteIp(cidr(v)).build();
            case "remote.ip" -> v -> Principal.newBuilder().setRemoteIp(cidr(v)).build();
            case "source.namespace" -> RbacRules::namespace;
            case "source.principal" -> RbacRules::peer;
            default -> v -> Principal.newBuilder().setHeader(HeaderMatcher.newBuilder()
                    .setName(key.substring("request.headers[".length(), key.length() - 1))
                    .setStringMatch(exactOrWildcard(v, false))).build();
        };
    }

    /** A {@code request.auth.*} condition: the principal value by value, the others as claims matched at once. */
    private static Principal jwtCondition(Condition condition) {
        if (condition.key().equals("request.auth.principal")) {
            return principalCondition(condition, JwtPrincipals::requestPrincipal);
        }
        List<String> path = switch (condition.key()) {
            case "request.auth.audiences" -> List.of("aud");
            case "request.auth.presenter" -> List.of("azp");
            default -> JwtPrincipals.claimPath(condition.key());
        };
        List<Principal> parts = new ArrayList<>();
        if (!condition.values().isEmpty()) {
            parts.add(JwtPrincipals.claim(path, condition.values()));
        }
        if (!condition.notValues().isEmpty()) {
            parts.add(Principal.newBuilder().setNotId(JwtPrincipals.claim(path, condition.notValues())).build());
        }
        return andPrincipals(parts);
    }

    private static Permission permissionCondition(Condition condition, Function<String, Permission> one) {
        List<Permission> parts = new ArrayList<>();
        if (!condition.values().isEmpty()) {
            parts.add(orPermissions(condition.values().stream().map(one).toList()));
        }
        if (!condition.notValues().isEmpty()) {
            parts.add(Permission.newBuilder().setNotRule(orPermissions(condition.notValues().stream().map(one).toList())).build());
        }
        return andPermissions(parts);
    }

    private static Principal principalCondition(Condition condition, Function<String, Principal> one) {
        List<Principal> parts = new ArrayList<>();
        if (!condition.values().isEmpty()) {
            parts.add(orPrincipals(condition.values().stream().map(one).toList()));
        }
        if (!condition.notValues().isEmpty()) {
            parts.add(Principal.newBuilder().setNotId(orPrincipals(condition.notValues().stream().map(one).toList())).build());
        }
        return andPrincipals(parts);
    }

    /** A peer principal: Istio's {@code <trust domain>/ns/<ns>/sa/<sa>}, matched as the SPIFFE id it stands for. */
    private static Principal peer(String principal) {
        StringMatcher name = principal.equals("*") ? regex(".+")
                : principal.startsWith("*") ? StringMatcher.newBuilder().setSuffix(principal.substring(1)).build()
                : exactOrWildcard(SpiffeId.SCHEME + principal, false);
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
    }

    /** A source namespace: the namespace part of the client certificate's SPIFFE id, as Istio matches it. */
    private static Principal namespace(String namespace) {
        String pattern = namespace.equals("*") ? "[^/]+"
                : namespace.startsWith("*") ? "[^/]*" + java.util.regex.Pattern.quote(namespace.substring(1))
                : namespace.endsWith("*") ? java.util.regex.Pattern.quote(namespace.substring(0, namespace.length() - 1)) + "[^/]*"
                : java.util.regex.Pattern.quote(namespace);
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder()
                .setPrincipalName(regex(".*/ns/" + pattern + "/.*"))).build();
    }

    private static Permission port(String port) {
        return Permission.newBuilder().setDestinationPort(Integer.parseInt(port)).build();
    }

    private static Permission header(String name, StringMatcher match) {
        return Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName(name).setStringMatch(match)).build();
    }

    /** {@code *} alone: anything present; {@code *x}: suffix; {@code x*}: prefix; else exact. */
    static StringMatcher exactOrWildcard(String value, boolean ignoreCase) {
        StringMatcher.Builder m = StringMatcher.newBuilder().setIgnoreCase(ignoreCase);
        if (value.equals("*")) {
            return regex(".*");
        }
        if (value.startsWith("*")) {
            return m.setSuffix(value.substring(1)).build();
        }
        if (value.endsWith("*")) {
            return m.setPrefix(value.substring(0, value.length() - 1)).build();
        }
        return m.setExact(value).build();
    }

    private static StringMatcher regex(String regex) {
        return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)).build();
    }

    static CidrRange cidr(String value) {
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        int length = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(value.substring(slash + 1));
        return CidrRange.newBuilder().setAddressPrefix(address).setPrefixLen(UInt32Value.of(length)).build();
    }

    private static Permission orPermissions(List<Permission> rules) {
        return rules.size() == 1 ? rules.getFirst()
                : Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(rules)).build();
    }

    private static Permission andPermissions(List<Permission> rules) {
        return rules.size() == 1 ? rules.getFirst()
                : Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(rules)).build();
    }

    private static Principal orPrincipals(List<Principal> ids) {
        return ids.size() == 1 ? ids.getFirst() : Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(ids)).build();
    }

    private static Principal andPrincipals(List<Principal> ids) {
        return ids.size() == 1 ? ids.getFirst() : Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(ids)).build();
    }
}
