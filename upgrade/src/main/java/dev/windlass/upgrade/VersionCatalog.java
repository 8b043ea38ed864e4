package dev.windlass.upgrade;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The mesh versions this build can install, read from versions.yaml beside this class. Newest first. */
public final class VersionCatalog {
    private static final VersionCatalog BUILT_IN = load();

    private final List<MeshVersion> versions;

    private VersionCatalog(List<MeshVersion> versions) {
        if (versions.isEmpty()) {
            throw new IllegalStateException("the version catalog lists no version");
        }
        this.versions = versions.stream().sorted(Comparator.comparing(MeshVersion::version).reversed()).toList();
    }

    /** The catalog shipped in this build, read once. */
    public static VersionCatalog builtIn() {
        return BUILT_IN;
    }

    /** A catalog of the given versions (tests, and catalogs other than the built-in one). */
    public static VersionCatalog of(List<MeshVersion> versions) {
        return new VersionCatalog(versions);
    }

    private static VersionCatalog load() {
        try (InputStream in = VersionCatalog.class.getResourceAsStream("versions.yaml")) {
            if (in == null) {
                throw new IllegalStateException("versions.yaml is missing from the classpath");
            }
            CatalogFile file = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, CatalogFile.class);
            return new VersionCatalog(file.versions());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version catalog: " + e.getMessage(), e);
        }
    }

    public List<MeshVersion> versions() {
        return versions;
    }

    public MeshVersion latest() {
        return versions.getFirst();
    }

    public Optional<MeshVersion> find(String version) {
        return versions.stream().filter(v -> v.version().toString().equals(version)).findFirst();
    }

    /** The version, or an error that lists what is installable. */
    public MeshVersion require(String version) {
        return find(version).orElseThrow(() -> new IllegalArgumentException(
                "version " + version + " is not in the catalog; installable versions: " + versionList()));
    }

    public String versionList() {
        return String.join(", ", versions.stream().map(v -> v.version().toString()).toList());
    }

    private record CatalogFile(List<MeshVersion> versions) {
    }
}
