package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.validation.IstioValidation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What must be accepted: the Istio tasks' YAML as users write it, and the value syntaxes Istio accepts. */
class ValidResourcesTest {
    @Test
    void theBookinfoTasksResourcesAreAccepted() throws IOException {
        for (JsonNode doc : IstioTestResources.bookinfoTasks()) {
            IstioKind kind = IstioKind.ofKind(doc.get("kind").asText()).orElseThrow();
            assertThat(IstioValidation.errors(kind, doc.get("spec"))).as(doc.at("/metadata/name").asText()).isEmpty();
        }
    }

    @Test
    void theSeedScenariosForTheMeshAreAccepted() throws IOException {
        Path seeds = Path.of("../samples/istio-seeds");
        for (String file : List.of("web-svc-80-20.yaml", "ratings-delay-jason.yaml", "ratings-abort-jason.yaml",
                "ratings-delay-2s.yaml", "reviews-timeout.yaml", "httpbin-v1.yaml", "httpbin-mirror.yaml")) {
            Path path = seeds.resolve(file);
            for (JsonNode doc : IstioTestResources.documents(Files.newInputStream(path))) {
                IstioKind kind = IstioKind.ofKind(doc.get("kind").asText()).orElseThrow();
                assertThat(IstioValidation.errors(kind, doc.get("spec"))).as(file).isEmpty();
            }
        }
    }

    @Test
    void durationsAreGoDurations() {
        assertThat(Durations.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(Durations.parse("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> Durations.parse("1s ")).hasMessageContaining("invalid duration");
    }

    @Test
    void shortNamesResolveAgainstTheNamespaceAndOthersStayAsWritten() {
        assertThat(Hosts.resolve("reviews", "bookinfo", "cluster.local")).isEqualTo("reviews.bookinfo.svc.cluster.local");
        assertThat(Hosts.resolve("reviews.bookinfo", "x", "cluster.local")).isEqualTo("reviews.bookinfo");
        assertThat(Hosts.resolve("*.example.com", "x", "cluster.local")).isEqualTo("*.example.com");
        assertThat(Hosts.resolve("*", "x", "cluster.local")).isEqualTo("*");
    }
}
