package dev.windlass.operator.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatConfigSourceTest {
    @Test
    void jsonOnlyWhenAskedFor() {
        assertThat(LogFormatConfigSource.json(Map.of("WINDLASS_LOG_FORMAT", "json"))).isTrue();
        assertThat(LogFormatConfigSource.json(Map.of("WINDLASS_LOG_FORMAT", "JSON"))).isTrue();
        assertThat(LogFormatConfigSource.json(Map.of("WINDLASS_LOG_FORMAT", "text"))).isFalse();
        assertThat(LogFormatConfigSource.json(Map.of())).isFalse();
    }
}
