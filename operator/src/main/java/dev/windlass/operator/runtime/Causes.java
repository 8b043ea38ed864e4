package dev.windlass.operator.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One readable line for a chain of exceptions, instead of a stack trace that repeats each cause in its wrapper. */
final class Causes {
    private Causes() {
    }

    /** The messages from the outermost to the root cause, leaving out each one that only wraps the next. */
    static String summary(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Collections.reverse(chain);
        List<String> kept = new ArrayList<>();
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (kept.stream().noneMatch(message::contains)) {
                kept.add(message);
            }
        }
        Collections.reverse(kept);
        return String.join(": ", kept);
    }
}
