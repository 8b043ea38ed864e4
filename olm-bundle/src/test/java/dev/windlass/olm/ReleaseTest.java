package dev.windlass.olm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseTest {
    @Test
    void aVersionWithoutAnEntryCannotBeBundled(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("releases.yaml"), """
                defaultChannel: stable
                releases:
                - version: 1.0.0
                  channels: [stable]
                """);
        assertThat(Release.read(file, "1.0.0").replacesCsv()).isEmpty();
        assertThatThrownBy(() -> Release.read(file, "1.1.0")).hasMessageContaining("releases.yaml has no entry for version 1.1.0");
    }

    @Test
    void theDefaultChannelMustBeOneOfTheRelease() {
        assertThatThrownBy(() -> new Release("1.0.0", List.of("candidate"), "stable", null, null))
                .hasMessageContaining("not published to the default channel stable");
    }
}
