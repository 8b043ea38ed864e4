package dev.windlass.traffic.istio.analysis;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Istio's message levels, most severe first. {@link #display()} is how {@code istioctl analyze} prints a level,
 * {@link #name()} how {@code status.validationMessages[].level} carries it.
 */
public enum Level {
    ERROR("Error"), WARNING("Warning"), INFO("Info");

    private final String display;

    Level(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    /** Whether this level is at least as severe as {@code threshold} (Error reaches Warning, Info does not). */
    public boolean reaches(Level threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** {@code Error}, {@code error} or {@code ERROR}, as istioctl's threshold flags take it. */
    public static Optional<Level> parse(String text) {
        return Arrays.stream(values()).filter(l -> l.name().equals(text.toUpperCase(Locale.ROOT))).findFirst();
    }
}
