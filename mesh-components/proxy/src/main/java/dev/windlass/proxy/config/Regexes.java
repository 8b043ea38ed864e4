package dev.windlass.proxy.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles Envoy safe_regex (RE2) expressions with java.util.regex; RE2 syntax is nearly a subset of it. */
final class Regexes {
    private Regexes() {
    }

    static Pattern compile(String expression) throws InvalidConfigException {
        try {
            return Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw new InvalidConfigException("invalid regex \"" + expression + "\": " + e.getDescription());
        }
    }
}
