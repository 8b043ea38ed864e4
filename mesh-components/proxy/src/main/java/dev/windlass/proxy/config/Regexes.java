package dev.windlass.proxy.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Envoy's safe_regex is RE2: compiled with re2j, so the syntax is RE2's (no lookaround, no backreferences) and a
 * match runs in linear time whatever the input, which matters for patterns applied to paths a client chooses.
 */
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
