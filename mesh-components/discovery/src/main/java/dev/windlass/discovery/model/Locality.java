package dev.windlass.discovery.model;

import dev.windlass.contract.IstioNames;

import java.util.Map;

/**
 * Where a workload runs: region, zone and subzone, each possibly empty. From a pod's {@code istio-locality} label
 * ({@code region.zone.subzone}), else from its node's topology labels, as Istio reads them.
 */
public record Locality(String region, String zone, String subzone) {
    public static final Locality NONE = new Locality("", "", "");

    public Locality {
        region = region == null ? "" : region;
        zone = zone == null ? "" : zone;
        subzone = subzone == null ? "" : subzone;
    }

    /** The pod label's value {@code region.zone.subzone} (trailing parts optional); null for a missing label. */
    public static Locality ofLabel(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String[] parts = value.split("\\.", 3);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    public static Locality ofNodeLabels(Map<String, String> labels) {
        return new Locality(labels.get(IstioNames.NODE_REGION_LABEL), labels.get(IstioNames.NODE_ZONE_LABEL),
                labels.get(IstioNames.NODE_SUBZONE_LABEL));
    }

    public boolean isEmpty() {
        return region.isEmpty() && zone.isEmpty() && subzone.isEmpty();
    }

    /**
     * Whether this locality matches a DestinationRule's {@code region/zone/subzone} pattern: {@code *} matches all,
     * a zone or subzone left out (or empty) or {@code *} matches any value there (Istio's LocalityMatch).
     */
    public boolean matches(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        String[] parts = pattern.split("/", -1);
        String[] mine = {region, zone, subzone};
        for (int i = 0; i < parts.length && i < 3; i++) {
            if (parts[i].equals("*")) {
                return true;
            }
            // An empty zone or subzone in the rule matches any (Istio's LocalityMatch); the region must match.
            if (!parts[i].equals(mine[i]) && (i == 0 || !parts[i].isEmpty())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return region + "/" + zone + "/" + subzone;
    }
}
