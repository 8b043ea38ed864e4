package dev.windlass.olm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One operator release's place in the OLM upgrade graph, read from {@code releases.yaml}, the one file that
 * configures it.
 *
 * @param replaces  the CSV this release replaces, if any
 * @param skipRange the semver range of versions that may upgrade straight to this one, if any
 */
public record Release(String version, List<String> channels, String defaultChannel, String replaces, String skipRange) {

    public Release {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("release " + version + " names no channel");
        }
        if (!channels.contains(defaultChannel)) {
            throw new IllegalArgumentException("release " + version + " is not published to the default channel "
                    + defaultChannel + "; its channels: " + channels);
        }
    }

    public Optional<String> replacesCsv() {
        return Optional.ofNullable(replaces);
    }

    public Optional<String> skipRangeExpression() {
        return Optional.ofNullable(skipRange);
    }

    /** The entry for {@code version}; an error naming the file when there is none. */
    public static Release read(Path file, String version) {
        ReleasesFile releases;
        try {
            releases = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(file.toFile(), ReleasesFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return releases.releases().stream().filter(r -> r.version().equals(version)).findFirst()
                .map(r -> new Release(r.version(), r.channels(), releases.defaultChannel(), r.replaces(), r.skipRange()))
                .orElseThrow(() -> new IllegalStateException(file + " has no entry for version " + version
                        + ": add one that says what it replaces before building its bundle"));
    }

    private record ReleasesFile(String defaultChannel, List<Entry> releases) {
    }

    private record Entry(String version, List<String> channels, String replaces, String skipRange) {
    }
}
