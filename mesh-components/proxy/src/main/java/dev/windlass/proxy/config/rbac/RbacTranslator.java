package dev.windlass.proxy.config.rbac;

import dev.windlass.proxy.config.CidrRange;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.RouteTranslator;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * envoy.config.rbac.v3.RBAC to {@link RbacRules}, with Envoy's semantics. What Windlass cannot evaluate as Envoy
 * does (LOG action, CEL conditions, metadata, SNI, matcher extensions...) is refused by name, never skipped: a
 * skipped rule would silently widen or narrow access.
 */
public final class RbacTranslator {
    private RbacTranslator() {
    }

    /** {@code where} names the listener, chain and filter, for the NACK message. */
    public static RbacRules rules(String where, RBAC rbac) throws InvalidConfigException {
        RbacRules.Action action = switch (rbac.getAction()) {
            case ALLOW -> RbacRules.Action.ALLOW;
            case DENY -> RbacRules.Action.DENY;
            case LOG -> RbacRules.Action.LOG;
            default -> throw new InvalidConfigException(where + ": RBAC action " + rbac.getAction()
                    + " is not supported by Windlass");
        };
        if (rbac.hasAuditLoggingOptions()) {
            throw new InvalidConfigException(where + ": RBAC audit_logging_options is not supported by Windlass");
        }
        List<RbacPolicy> policies = new ArrayList<>();
        // Sorted by name, so that the policy a denial is logged with does not depend on the map's order.
        for (Map.Entry<String, Policy> entry : new TreeMap<>(rbac.getPoliciesMap()).entrySet()) {
            policies.add(policy(where + " policy " + entry.getKey(), entry.getKey(), entry.getValue()));
        }
        return new RbacRules(action, policies);
    }

    private static RbacPolicy policy(String where, String name, Policy policy) throws InvalidConfigException {
        if (policy.hasCondition() || policy.hasCheckedCondition()) {
            throw new InvalidConfigException(where + ": condition (CEL) is not supported by Windlass");
        }
        if (policy.getPermissionsCount() == 0 || policy.getPrincipalsCount() == 0) {
            throw new InvalidConfigException(where + ": a policy needs at least one permission and one principal");
        }
        List<RbacMatcher> permissions = new ArrayList<>();
        for (Permission permission : policy.getPermissionsList()) {
            permissions.add(permission(where, permission));
        }
        List<RbacMatcher> principals = new ArrayList<>();
        for (Principal principal : policy.getPrincipalsList()) {
            principals.add(principal(where, principal));
        }
        return new RbacPolicy(name, anyOf(permissions), anyOf(principals));
    }

    static RbacMatcher permission(String where, Permission permission) throws InvalidConfigException {
        return switch (permission.getRuleCase()) {
            case AND_RULES -> new RbacMatcher.And(permissions(where, permission.getAndRules().getRulesList()));
            case OR_RULES -> anyOf(permissions(where, permission.getOrRules().getRulesList()));
            case ANY -> RbacMatcher.Always.INSTANCE;
            case HEADER -> new RbacMatcher.Header(RouteTranslator.header(permission.getHeader()));
            case URL_PATH -> urlPath(where, permission.getUrlPath());
            case DESTINATION_IP -> new RbacMatcher.DestinationIp(cidr(permission.getDestinationIp()));
            case DESTINATION_PORT -> new RbacMatcher.DestinationPort(permission.getDestinationPort());
            case NOT_RULE -> new RbacMatcher.Not(permission(where, permission.getNotRule()));
            case RULE_NOT_SET -> throw new InvalidConfigException(where + ": a permission without a rule");
            default -> throw unsupported(where, "permission", permission.getRuleCase().name());
        };
    }

    static RbacMatcher principal(String where, Principal principal) throws InvalidConfigException {
        return switch (principal.getIdentifierCase()) {
            case AND_IDS -> new RbacMatcher.And(principals(where, principal.getAndIds().getIdsList()));
            case OR_IDS -> anyOf(principals(where, principal.getOrIds().getIdsList()));
            case ANY -> RbacMatcher.Always.INSTANCE;
            case AUTHENTICATED -> new RbacMatcher.Authenticated(principal.getAuthenticated().hasPrincipalName()
                    ? RouteTranslator.stringMatch(principal.getAuthenticated().getPrincipalName()) : null);
            case DIRECT_REMOTE_IP -> new RbacMatcher.RemoteIp(cidr(principal.getDirectRemoteIp()));
            case SOURCE_IP -> new RbacMatcher.RemoteIp(cidr(principal.getSourceIp()));
            // No X-Forwarded-For hop is trusted, so the client's address is the connection's.
            case REMOTE_IP -> new RbacMatcher.RemoteIp(cidr(principal.getRemoteIp()));
            case HEADER -> new RbacMatcher.Header(RouteTranslator.header(principal.getHeader()));
            case URL_PATH -> urlPath(where, principal.getUrlPath());
            case NOT_ID -> new RbacMatcher.Not(principal(where, principal.getNotId()));
            case METADATA -> JwtMetadata.matcher(where, principal.getMetadata());
            case IDENTIFIER_NOT_SET -> throw new InvalidConfigException(where + ": a principal without an identifier");
            default -> throw unsupported(where, "principal", principal.getIdentifierCase().name());
        };
    }

    private static List<RbacMatcher> permissions(String where, List<Permission> rules) throws InvalidConfigException {
        List<RbacMatcher> compiled = new ArrayList<>();
        for (Permission rule : rules) {
            compiled.add(permission(where, rule));
        }
        return compiled;
    }

    private static List<RbacMatcher> principals(String where, List<Principal> ids) throws InvalidConfigException {
        List<RbacMatcher> compiled = new ArrayList<>();
        for (Principal id : ids) {
            compiled.add(principal(where, id));
        }
        return compiled;
    }

    /** One rule stands for itself: no Or node to walk through. */
    private static RbacMatcher anyOf(List<RbacMatcher> rules) {
        return rules.size() == 1 ? rules.getFirst() : new RbacMatcher.Or(rules);
    }

    private static RbacMatcher urlPath(String where, io.envoyproxy.envoy.type.matcher.v3.PathMatcher path)
            throws InvalidConfigException {
        if (!path.hasPath()) {
            throw new InvalidConfigException(where + ": url_path without a path matcher");
        }
        return new RbacMatcher.UrlPath(RouteTranslator.stringMatch(path.getPath()));
    }

    /** Envoy's CidrRange: an unset prefix_len is 0, which contains every address of its family. */
    private static CidrRange cidr(io.envoyproxy.envoy.config.core.v3.CidrRange range) throws InvalidConfigException {
        return CidrRange.of(range.getAddressPrefix(), range.hasPrefixLen() ? range.getPrefixLen().getValue() : 0);
    }

    private static InvalidConfigException unsupported(String where, String kind, String field) {
        return new InvalidConfigException(where + ": " + kind + " " + field.toLowerCase(Locale.ROOT)
                + " is not supported by Windlass");
    }
}
