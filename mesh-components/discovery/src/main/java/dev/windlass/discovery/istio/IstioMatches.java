package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.RequestMatch;
import dev.windlass.discovery.routing.SourceSelector;
import dev.windlass.discovery.routing.TextMatch;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.StringMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Istio's HTTPMatchRequest to the routing model's request match. As in Istio, {@code scheme}, {@code method} and
 * {@code authority} become conditions on the pseudo-headers {@code :scheme}, {@code :method} and
 * {@code :authority}; a header condition without a value means "present"; {@code withoutHeaders} inverts.
 */
final class IstioMatches {
    private IstioMatches() {
    }

    /** {@code gateways}: the match block's own bindings, resolved (empty: those of its route set). */
    static RequestMatch of(HttpRoute.MatchRequest match, List<String> gateways) {
        TextMatch path = match.uri() == null ? null : text(match.uri(), match.caseInsensitiveUri());
        List<RequestMatch.HeaderCondition> headers = new ArrayList<>();
        pseudo(headers, ":scheme", match.scheme());
        pseudo(headers, ":method", match.method());
        pseudo(headers, ":authority", match.authority());
        headers(headers, match.headers(), false);
        headers(headers, match.withoutHeaders(), true);
        List<RequestMatch.QueryCondition> query = new ArrayList<>();
        match.queryParams().forEach((name, value) -> query.add(new RequestMatch.QueryCondition(name, text(value, false))));
        int port = match.port() == null ? 0 : match.port();
        return new RequestMatch(match.name() == null ? "" : match.name(), path, headers, query, port,
                new SourceSelector(match.sourceLabels(), match.sourceNamespace()), gateways);
    }

    private static void pseudo(List<RequestMatch.HeaderCondition> headers, String name, StringMatch value) {
        if (value != null) {
            headers.add(new RequestMatch.HeaderCondition(name, text(value, false), false));
        }
    }

    private static void headers(List<RequestMatch.HeaderCondition> out, Map<String, StringMatch> headers, boolean invert) {
        headers.forEach((name, value) -> out.add(new RequestMatch.HeaderCondition(name.toLowerCase(Locale.ROOT),
                text(value, false), invert)));
    }

    static TextMatch text(StringMatch match, boolean ignoreCase) {
        if (match == null) {
            return TextMatch.present();
        }
        return switch (match.kind()) {
            case EXACT -> new TextMatch(TextMatch.Kind.EXACT, match.exact(), ignoreCase);
            case PREFIX -> new TextMatch(TextMatch.Kind.PREFIX, match.prefix(), ignoreCase);
            case REGEX -> new TextMatch(TextMatch.Kind.REGEX, match.regex(), false);
            case ANY -> TextMatch.present();
        };
    }
}
