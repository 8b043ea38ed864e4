package dev.windlass.traffic.istio.validation;

/** Rules shared by the security kinds: a workload selector's labels (Istio's validateWorkloadSelector), ports. */
final class Selectors {
    private Selectors() {
    }

    static void label(String path, String key, String value, Errors errors) {
        if (key.isEmpty()) {
            errors.add(path, "empty key is not supported in selector");
        } else if (key.contains("*") || value != null && value.contains("*")) {
            errors.add(path + "." + key, "wildcard is not supported in selector");
        } else if (value == null) {
            errors.add(path + "." + key, "a label value must be a string");
        }
    }

    /** A port number, 1..65535, written as text (a map key, a list of strings). */
    static boolean port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
