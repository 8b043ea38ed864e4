package dev.windlass.traffic.istio;

/** Istio's Percent: a double in [0, 100]. */
public record Percent(Double value) {

    public double orZero() {
        return value == null ? 0 : value;
    }
}
