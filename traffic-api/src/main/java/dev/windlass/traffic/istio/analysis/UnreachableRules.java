package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Istio's unreachable-rule checks (analyzeUnreachableHTTPRules and its TCP and TLS twins): a second rule without
 * matches (IST0130, "only the last rule can have no matches"), a rule with matches after one without
 * ("route without matches defined before"), a match equal to one of an earlier rule (IST0131, Info), and a rule
 * all of whose matches are such duplicates (IST0130, "all matches used by prior rules"). Matches are equal when
 * they are equal apart from their name, as Istio compares their JSON. Istio's further check for uri prefixes
 * covered by an earlier prefix is not done.
 */
final class UnreachableRules {
    private UnreachableRules() {
    }

    /** One rule as the check sees it: its display name and its matches, each as a comparable key. */
    record Rule(String name, String path, List<Object> matches, List<String> matchNames) {
    }

    interface Reporter {
        void unreachable(Rule rule, String reason);

        void ineffective(Rule rule, int match, Rule earlier);
    }

    static void check(IstioResource<VirtualServiceSpec> vs, Consumer<Finding> report) {
        ResourceRef ref = AnalysisInput.ref(vs);
        Reporter reporter = new Reporter() {
            @Override
            public void unreachable(Rule rule, String reason) {
                report.accept(Finding.of(Code.IST0130, ref, rule.path(), rule.name(), reason));
            }

            @Override
            public void ineffective(Rule rule, int match, Rule earlier) {
                report.accept(Finding.of(Code.IST0131, ref, rule.path() + ".match[" + match + "]", rule.name(),
                        rule.matchNames().get(match), earlier.name()));
            }
        };
        VirtualServiceSpec spec = vs.spec();
        analyze(rules(spec.http(), UnreachableRules::httpRule), reporter);
        analyze(rules(spec.tcp(), (r, i) -> l4Rule(r.match(), i, "spec.tcp")), reporter);
        analyze(rules(spec.tls(), (r, i) -> l4Rule(r.match(), i, "spec.tls")), reporter);
    }

    static void analyze(List<Rule> rules, Reporter reporter) {
        Map<Object, Rule> seen = new HashMap<>();
        boolean emptyMatchSeen = false;
        for (Rule rule : rules) {
            if (rule.matches().isEmpty()) {
                if (emptyMatchSeen) {
                    reporter.unreachable(rule, "only the last rule can have no matches");
                }
                emptyMatchSeen = true;
                continue;
            }
            if (emptyMatchSeen) {
                reporter.unreachable(rule, "route without matches defined before");
                continue;
            }
            int duplicates = 0;
            for (int m = 0; m < rule.matches().size(); m++) {
                Rule earlier = seen.putIfAbsent(rule.matches().get(m), rule);
                if (earlier != null) {
                    reporter.ineffective(rule, m, earlier);
                    duplicates++;
                }
            }
            if (duplicates == rule.matches().size()) {
                reporter.unreachable(rule, "all matches used by prior rules");
            }
        }
    }

    private static <R> List<Rule> rules(List<R> routes, BiFunction<R, Integer, Rule> rule) {
        return IntStream.range(0, routes.size()).mapToObj(i -> rule.apply(routes.get(i), i)).toList();
    }

    private static Rule httpRule(HttpRoute route, int index) {
        String name = route.name() != null && !route.name().isEmpty() ? Code.quote(route.name()) : "#" + index;
        List<HttpRoute.MatchRequest> matches = route.match();
        List<String> names = IntStream.range(0, matches.size()).mapToObj(m -> {
            String matchName = matches.get(m) == null ? null : matches.get(m).name();
            return matchName != null && !matchName.isEmpty() ? Code.quote(matchName) : "#" + m;
        }).toList();
        return new Rule(name, "spec.http[" + index + "]", matches.stream().map(UnreachableRules::withoutName).toList(), names);
    }

    private static Rule l4Rule(List<?> matches, int index, String field) {
        List<String> names = IntStream.range(0, matches.size()).mapToObj(m -> "#" + m).toList();
        return new Rule("#" + index, field + "[" + index + "]", List.copyOf(matches), names);
    }

    private static Object withoutName(HttpRoute.MatchRequest m) {
        if (m == null) {
            return List.of();
        }
        return new HttpRoute.MatchRequest(null, m.uri(), m.scheme(), m.method(), m.authority(), m.headers(), m.port(),
                m.sourceLabels(), m.gateways(), m.queryParams(), m.ignoreUriCase(), m.withoutHeaders(), m.sourceNamespace());
    }
}
