package dev.windlass.proxy.config.rbac;

import com.google.gson.JsonElement;
import dev.windlass.proxy.config.StringMatch;

import java.util.List;

/**
 * Envoy's ValueMatcher over a verified JWT's payload (the dynamic metadata jwt_authn writes, a JSON object):
 * a string match only matches a string, a list match one element of an array, present anything there.
 */
public sealed interface MetadataValueMatch extends Matcher<JsonElement> {

    @Override
    boolean matches(JsonElement value);

    record Text(StringMatch match) implements MetadataValueMatch {
        @Override
        public boolean matches(JsonElement value) {
            return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    && match.matches(value.getAsString());
        }
    }

    record Present() implements MetadataValueMatch {
        @Override
        public boolean matches(JsonElement value) {
            return value != null && !value.isJsonNull();
        }
    }

    /** list_match one_of: some element of an array matches. */
    record OneOf(MetadataValueMatch element) implements MetadataValueMatch {
        @Override
        public boolean matches(JsonElement value) {
            if (value == null || !value.isJsonArray()) {
                return false;
            }
            for (JsonElement e : value.getAsJsonArray()) {
                if (element.matches(e)) {
                    return true;
                }
            }
            return false;
        }
    }

    record AnyOf(List<MetadataValueMatch> matchers) implements MetadataValueMatch {
        public AnyOf {
            matchers = List.copyOf(matchers);
        }

        @Override
        public boolean matches(JsonElement value) {
            return Matcher.any(matchers, value);
        }
    }
}
