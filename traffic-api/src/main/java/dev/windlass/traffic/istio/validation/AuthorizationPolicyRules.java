package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Condition;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Operation;
import dev.windlass.traffic.istio.AuthorizationPolicySpec.Source;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Istio's validation of an AuthorizationPolicy (ValidateAuthorizationPolicy): every {@code from} with a non-empty
 * source, every {@code to} with a non-empty operation, every {@code when} with a key and values, addresses and
 * ports that parse. Windlass refuses what it does not implement, by path: the action CUSTOM, and
 * {@code when} keys other than request headers, JWT attributes ({@code request.auth.*}, set by RequestAuthentication),
 * source and destination addresses, ports, namespaces and principals.
 */
final class AuthorizationPolicyRules {
    static final Set<String> KEYS = Set.of("source.ip", "remote.ip", "source.namespace", "source.principal",
            "destination.ip", "destination.port", "request.auth.principal", "request.auth.audiences",
            "request.auth.presenter");
    private static final Pattern HEADER_KEY = Pattern.compile("request\\.headers\\[[^\\[\\]]+]");
    /** A JWT claim, possibly nested: {@code request.auth.claims[groups]}, {@code request.auth.claims[a][b]}. */
    private static final Pattern CLAIM_KEY = Pattern.compile("request\\.auth\\.claims(\\[[^\\[\\]]+])+");

    private AuthorizationPolicyRules() {
    }

    static void check(AuthorizationPolicySpec spec, Errors errors) {
        if (spec.selector() != null) {
            spec.selector().matchLabels().forEach((key, value) -> Selectors.label("spec.selector.matchLabels", key, value, errors));
        }
        String action = spec.actionOrDefault();
        if (!AuthorizationPolicySpec.ACTIONS.contains(action)) {
            errors.add("spec.action", "unknown action " + action + ": one of " + String.join(", ", AuthorizationPolicySpec.ACTIONS));
        } else if (action.equals("CUSTOM")) {
            errors.notSupported("spec.action", action + ": Windlass enforces ALLOW and DENY and audits AUDIT");
        }
        for (int i = 0; i < spec.rules().size(); i++) {
            rule("spec.rules[" + i + "]", spec.rules().get(i), errors);
        }
    }

    private static void rule(String path, AuthorizationPolicySpec.Rule rule, Errors errors) {
        if (rule == null) {
            errors.add(path, "`rule` must not be nil");
            return;
        }
        for (int i = 0; i < rule.from().size(); i++) {
            Source source = rule.from().get(i) == null ? null : rule.from().get(i).source();
            source(path + ".from[" + i + "].source", source, errors);
        }
        for (int i = 0; i < rule.to().size(); i++) {
            Operation operation = rule.to().get(i) == null ? null : rule.to().get(i).operation();
            operation(path + ".to[" + i + "].operation", operation, errors);
        }
        for (int i = 0; i < rule.when().size(); i++) {
            condition(path + ".when[" + i + "]", rule.when().get(i), errors);
        }
    }

    private static void source(String path, Source source, Errors errors) {
        if (source == null) {
            errors.add(path, "`from.source` must not be nil");
            return;
        }
        List<List<String>> all = List.of(source.principals(), source.notPrincipals(), source.requestPrincipals(),
                source.notRequestPrincipals(), source.namespaces(), source.notNamespaces(), source.ipBlocks(),
                source.notIpBlocks(), source.remoteIpBlocks(), source.notRemoteIpBlocks());
        if (all.stream().allMatch(List::isEmpty)) {
            errors.add(path, "`from.source` must not be empty");
        }
        addresses(path + ".ipBlocks", source.ipBlocks(), errors);
        addresses(path + ".notIpBlocks", source.notIpBlocks(), errors);
        addresses(path + ".remoteIpBlocks", source.remoteIpBlocks(), errors);
        addresses(path + ".notRemoteIpBlocks", source.notRemoteIpBlocks(), errors);
    }

    private static void operation(String path, Operation operation, Errors errors) {
        if (operation == null) {
            errors.add(path, "`to.operation` must not be nil");
            return;
        }
        List<List<String>> all = List.of(operation.hosts(), operation.notHosts(), operation.ports(), operation.notPorts(),
                operation.methods(), operation.notMethods(), operation.paths(), operation.notPaths());
        if (all.stream().allMatch(List::isEmpty)) {
            errors.add(path, "`to.operation` must not be empty");
        }
        ports(path + ".ports", operation.ports(), errors);
        ports(path + ".notPorts", operation.notPorts(), errors);
    }

    private static void condition(String path, Condition condition, Errors errors) {
        if (condition == null || condition.key() == null || condition.key().isEmpty()) {
            errors.add(path + ".key", "`key` must not be empty");
            return;
        }
        if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
            errors.add(path, "at least one of `values` or `notValues` must be set for key " + condition.key());
        }
        String key = condition.key();
        if (key.equals("source.ip") || key.equals("remote.ip") || key.equals("destination.ip")) {
            addresses(path + ".values", condition.values(), errors);
            addresses(path + ".notValues", condition.notValues(), errors);
        } else if (key.equals("destination.port")) {
            ports(path + ".values", condition.values(), errors);
            ports(path + ".notValues", condition.notValues(), errors);
        } else if (!KEYS.contains(key) && !HEADER_KEY.matcher(key).matches() && !CLAIM_KEY.matcher(key).matches()) {
            errors.notSupported(path + ".key", key);
        }
    }

    private static void addresses(String path, List<String> values, Errors errors) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !Values.isIpOrCidr(values.get(i))) {
                errors.add(path + "[" + i + "]", "invalid IP address or CIDR range: " + values.get(i));
            }
        }
    }

    private static void ports(String path, List<String> values, Errors errors) {
        for (int i = 0; i < values.size(); i++) {
            if (!Selectors.port(values.get(i))) {
                errors.add(path + "[" + i + "]", "invalid port: " + values.get(i));
            }
        }
    }
}
