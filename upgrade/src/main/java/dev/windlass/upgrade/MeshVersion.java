package dev.windlass.upgrade;

import java.util.List;

/** One installable mesh version: what it runs, and what it can be upgraded from. */
public record MeshVersion(SemVer version, SemVer upgradeableFrom, Images images, List<String> deprecations) {

    public MeshVersion {
        deprecations = deprecations == null ? List.of() : List.copyOf(deprecations);
    }

    /** The images of one mesh version. The proxy image also carries the init and router roles. */
    public record Images(String discovery, String proxy, String prometheus, String grafana, String tracing, String kiali) {
    }
}
