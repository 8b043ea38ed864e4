package dev.windlass.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.DiscoveryProcess;
import dev.windlass.testsupport.ThisJvm;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 2: the real server process, given LOG_AS_JSON=true as the rendered Deployment gives it, logs only JSON lines. */
class DiscoveryLoggingApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineOfTheServersLogIsAJsonObject() throws Exception {
        KubernetesClient kube = ApiServer.client();
        String ns = "log-" + UUID.randomUUID().toString().substring(0, 8);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        Path log = Files.createTempFile("discovery-", ".log");
        try (DiscoveryProcess discovery = DiscoveryProcess.start(ThisJvm.launcher(), ApiServer.kubeconfigFile(), ns, log,
                Map.of("LOG_AS_JSON", "true", "LOG_LEVEL", "info"))) {
            discovery.awaitReady(Duration.ofSeconds(60));
        } finally {
            kube.namespaces().withName(ns).delete();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).anyMatch(line -> line.contains("xDS on"));
        for (String line : lines) {
            assertThat(JSON.readTree(line).path("level").asText()).as(line).isNotEmpty();
        }
    }
}
