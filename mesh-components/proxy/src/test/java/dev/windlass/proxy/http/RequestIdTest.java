package dev.windlass.proxy.http;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The x-request-id the proxy generates: a well-formed version-4 UUID, a new one each time. */
class RequestIdTest {

    @Test
    void generatedIdsAreVersion4UuidsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = HeaderRules.randomRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).hasSize(36).isEqualTo(uuid.toString());
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
