package dev.windlass.discovery.xds;

import dev.windlass.contract.XdsTypeUrls;

import java.util.Optional;

/** The four xDS resource types Windlass serves, in the order Envoy wants them pushed: CDS, EDS, LDS, RDS. */
public enum XdsType {
    CDS(XdsTypeUrls.CDS, true),
    EDS(XdsTypeUrls.EDS, false),
    LDS(XdsTypeUrls.LDS, true),
    RDS(XdsTypeUrls.RDS, false);

    private final String typeUrl;
    private final boolean wildcardWhenEmpty;

    XdsType(String typeUrl, boolean wildcardWhenEmpty) {
        this.typeUrl = typeUrl;
        this.wildcardWhenEmpty = wildcardWhenEmpty;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /**
     * Whether an empty resource_names list subscribes to everything. True for LDS and CDS only: for EDS and RDS
     * Envoy always names what it wants (the clusters and route configs it was given), and empty means none.
     */
    public boolean wildcardWhenEmpty() {
        return wildcardWhenEmpty;
    }

    public static Optional<XdsType> of(String typeUrl) {
        for (XdsType t : values()) {
            if (t.typeUrl.equals(typeUrl)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
