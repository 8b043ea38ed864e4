package dev.windlass.proxy.config.jwt;

import java.util.List;

/**
 * A jwt_authn requirement tree, compiled over provider indexes. Evaluated against the per-request results of the
 * providers ({@link Results}), with Envoy's semantics: {@code any} passes on its first passing child and otherwise
 * fails with its last child's status, {@code all} fails with its first failing child's, {@code allow_missing} passes
 * when the token of its sibling providers is absent or valid.
 */
public sealed interface JwtRequirement {

    /** What the providers made of one request: OK, MISSING, or why the token failed. */
    interface Results {
        JwtStatus of(int provider);
    }

    JwtStatus evaluate(Results results);

    record Provider(int index) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(Results results) {
            return results.of(index);
        }
    }

    record Any(List<JwtRequirement> children) implements JwtRequirement {
        public Any {
            children = List.copyOf(children);
        }

        @Override
        public JwtStatus evaluate(Results results) {
            JwtStatus last = JwtStatus.OK;
            for (int i = 0; i < children.size(); i++) {
                last = children.get(i).evaluate(results);
                if (last == JwtStatus.OK) {
                    return last;
                }
            }
            return last;
        }
    }

    record All(List<JwtRequirement> children) implements JwtRequirement {
        public All {
            children = List.copyOf(children);
        }

        @Override
        public JwtStatus evaluate(Results results) {
            for (int i = 0; i < children.size(); i++) {
                JwtStatus status = children.get(i).evaluate(results);
                if (status != JwtStatus.OK) {
                    return status;
                }
            }
            return JwtStatus.OK;
        }
    }

    /** allow_missing over the providers named beside it: no token in their locations, or one that verifies. */
    record AllowMissing(int[] providers) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(Results results) {
            JwtStatus failure = null;
            for (int provider : providers) {
                JwtStatus status = results.of(provider);
                if (status == JwtStatus.OK) {
                    return status;
                }
                if (status != JwtStatus.MISSING && failure == null) {
                    failure = status;
                }
            }
            return failure == null ? JwtStatus.OK : failure;
        }
    }
}
