package dev.windlass.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and spreads of repeated measurements, formatted for the tables: {@code median (min – max)}. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** "median (min – max)", or just the value when there is one; {@code decimals} after the point. */
    static String spread(List<Double> values, int decimals) {
        if (values.isEmpty()) {
            return "–";
        }
        String median = number(median(values), decimals);
        if (values.size() == 1) {
            return median;
        }
        return median + " (" + number(Collections.min(values), decimals) + " – " + number(Collections.max(values), decimals) + ")";
    }

    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
