package dev.windlass.proxy.config.rbac;

import java.util.List;

/**
 * A compiled match over what a request shows ({@link RbacMatcher} over its {@link RbacInput},
 * {@link MetadataValueMatch} over a JWT payload value), and the and/or of a list of them: in order, stopping at
 * the first that decides, by index (no iterator per request).
 */
interface Matcher<I> {

    boolean matches(I input);

    /** and: every one matches (none is a match). */
    static <I> boolean all(List<? extends Matcher<I>> matchers, I input) {
        for (int i = 0; i < matchers.size(); i++) {
            if (!matchers.get(i).matches(input)) {
                return false;
            }
        }
        return true;
    }

    /** or: some one matches (none is no match). */
    static <I> boolean any(List<? extends Matcher<I>> matchers, I input) {
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).matches(input)) {
                return true;
            }
        }
        return false;
    }
}
