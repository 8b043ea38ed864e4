package dev.windlass.traffic.istio;

import java.util.List;

/**
 * The spec of an AuthorizationPolicy ({@code security.istio.io}, v1beta1 and v1 alike): the workloads it applies to
 * ({@code selector}; none: every workload of the namespace, or of the mesh in the root namespace), its action
 * (ALLOW, the default, or DENY) and rules; a request matches a rule when it matches one of its {@code from}, one of
 * its {@code to} and every {@code when}. Request principals ({@code <iss>/<sub>}) and {@code request.auth.*}
 * conditions read the JWT that RequestAuthentication verified. {@code targetRef(s)} and {@code provider} are not in
 * the model (or refused by validation) until Windlass implements them.
 */
public record AuthorizationPolicySpec(WorkloadSelector selector, String action,
                                      List<Rule> rules) {
    public static final String ALLOW = "ALLOW";
    public static final String DENY = "DENY";
    /** Marks the requests it matches as audited; decides nothing (Istio's AUDIT). */
    public static final String AUDIT = "AUDIT";
    public static final List<String> ACTIONS = List.of(ALLOW, DENY, AUDIT, "CUSTOM");

    public AuthorizationPolicySpec {
        rules = Nulls.list(rules);
    }

    public String actionOrDefault() {
        return action == null ? ALLOW : action;
    }

    public boolean selectsWorkloads() {
        return selector != null && !selector.matchLabels().isEmpty();
    }

    public record Rule(List<From> from, List<To> to, List<Condition> when) {
        public Rule {
            from = Nulls.list(from);
            to = Nulls.list(to);
            when = Nulls.list(when);
        }
    }

    public record From(Source source) {
    }

    /** Who sends: peer identities (from the client certificate), namespaces, client addresses. */
    public record Source(List<String> principals, List<String> notPrincipals, List<String> requestPrincipals,
                         List<String> notRequestPrincipals, List<String> namespaces, List<String> notNamespaces,
                         List<String> ipBlocks, List<String> notIpBlocks, List<String> remoteIpBlocks,
                         List<String> notRemoteIpBlocks) {
        public Source {
            principals = Nulls.list(principals);
            notPrincipals = Nulls.list(notPrincipals);
            requestPrincipals = Nulls.list(requestPrincipals);
            notRequestPrincipals = Nulls.list(notRequestPrincipals);
            namespaces = Nulls.list(namespaces);
            notNamespaces = Nulls.list(notNamespaces);
            ipBlocks = Nulls.list(ipBlocks);
            notIpBlocks = Nulls.list(notIpBlocks);
            remoteIpBlocks = Nulls.list(remoteIpBlocks);
            notRemoteIpBlocks = Nulls.list(notRemoteIpBlocks);
        }
    }

    public record To(Operation operation) {
    }

    /** What is asked: hosts, ports, methods and paths (the HTTP ones mean nothing to TCP). */
    public record Operation(List<String> hosts, List<String> notHosts, List<String> ports, List<String> notPorts,
                            List<String> methods, List<String> notMethods, List<String> paths, List<String> notPaths) {
        public Operation {
            hosts = Nulls.list(hosts);
            notHosts = Nulls.list(notHosts);
            ports = Nulls.list(ports);
            notPorts = Nulls.list(notPorts);
            methods = Nulls.list(methods);
            notMethods = Nulls.list(notMethods);
            paths = Nulls.list(paths);
            notPaths = Nulls.list(notPaths);
        }
    }

    /** A {@code when} condition: the attribute {@code key} is one of {@code values} and none of {@code notValues}. */
    public record Condition(String key, List<String> values, List<String> notValues) {
        public Condition {
            values = Nulls.list(values);
            notValues = Nulls.list(notValues);
        }
    }
}
