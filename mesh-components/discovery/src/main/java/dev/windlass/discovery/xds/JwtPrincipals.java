package dev.windlass.discovery.xds;

import dev.windlass.contract.IstioNames;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.OrMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * What AuthorizationPolicy asks of a request's JWT, as Istio's authz builder writes it: matchers on the payload the
 * JWT filter left in its metadata ({@code envoy.filters.http.jwt_authn}, key {@code payload}). A request principal
 * {@code <iss>/<sub>} (split at the last {@code /}, since issuers are often URLs) matches {@code iss} and {@code sub};
 * {@code request.auth.audiences}, {@code .presenter} and {@code .claims[..]} match {@code aud}, {@code azp} and the
 * named claim, a string or one element of a list. Without a verified token there is no payload and none matches.
 */
final class JwtPrincipals {
    private static final StringMatcher ANY = StringMatcher.newBuilder()
            .setSafeRegex(RegexMatcher.newBuilder().setRegex(".+")).build();

    private JwtPrincipals() {
    }

    /** A request principal value: exact, {@code *}, {@code *suffix} or {@code prefix*}, as Istio splits it. */
    static Principal requestPrincipal(String value) {
        int slash = value.lastIndexOf('/');
        String iss = slash < 0 ? value : value.substring(0, slash);
        String sub = slash < 0 ? "" : value.substring(slash + 1);
        StringMatcher matchIss;
        StringMatcher matchSub;
        if (value.equals("*")) {
            matchIss = ANY;
            matchSub = ANY;
        } else if (value.startsWith("*")) {
            matchIss = slash < 0 ? ANY : iss.equals("*") ? ANY : suffix(iss.substring(1));
            matchSub = slash < 0 ? suffix(value.substring(1)) : exact(sub);
        } else if (value.endsWith("*")) {
            matchIss = slash < 0 ? prefix(value.substring(0, value.length() - 1)) : exact(iss);
            matchSub = slash < 0 ? ANY : sub.equals("*") ? ANY : prefix(sub.substring(0, sub.length() - 1));
        } else {
            matchIss = exact(iss);
            matchSub = exact(sub);
        }
        return Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
                .addIds(metadata(List.of("iss"), ValueMatcher.newBuilder().setStringMatch(matchIss).build()))
                .addIds(metadata(List.of("sub"), ValueMatcher.newBuilder().setStringMatch(matchSub).build()))).build();
    }

    /** A claim (a path into the payload) that is one of {@code values}, or a list holding one of them. */
    static Principal claim(List<String> path, List<String> values) {
        OrMatcher.Builder strings = OrMatcher.newBuilder();
        values.forEach(v -> strings.addValueMatchers(ValueMatcher.newBuilder().setStringMatch(wildcard(v))));
        ValueMatcher anyString = ValueMatcher.newBuilder().setOrMatch(strings).build();
        ValueMatcher listOrString = ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder()
                .addValueMatchers(ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(anyString)))
                .addValueMatchers(anyString)).build();
        return metadata(path, listOrString);
    }

    /** The claim path of a {@code when} key: {@code request.auth.claims[a][b]} is {@code [a, b]}. */
    static List<String> claimPath(String key) {
        List<String> path = new ArrayList<>();
        String rest = key.substring("request.auth.claims".length());
        while (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            path.add(rest.substring(1, end));
            rest = rest.substring(end + 1);
        }
        return path;
    }

    private static Principal metadata(List<String> claimPath, ValueMatcher value) {
        MetadataMatcher.Builder m = MetadataMatcher.newBuilder().setFilter(IstioNames.JWT_AUTHN_FILTER)
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(IstioNames.JWT_PAYLOAD_METADATA));
        claimPath.forEach(k -> m.addPath(MetadataMatcher.PathSegment.newBuilder().setKey(k)));
        return Principal.newBuilder().setMetadata(m.setValue(value)).build();
    }

    /** Istio's string matcher for JWT values: {@code *} is anything non-empty. */
    private static StringMatcher wildcard(String v) {
        if (v.equals("*")) {
            return ANY;
        }
        return v.startsWith("*") ? suffix(v.substring(1)) : v.endsWith("*") ? prefix(v.substring(0, v.length() - 1)) : exact(v);
    }

    private static StringMatcher exact(String v) {
        return StringMatcher.newBuilder().setExact(v).build();
    }

    private static StringMatcher prefix(String v) {
        return StringMatcher.newBuilder().setPrefix(v).build();
    }

    private static StringMatcher suffix(String v) {
        return StringMatcher.newBuilder().setSuffix(v).build();
    }
}
