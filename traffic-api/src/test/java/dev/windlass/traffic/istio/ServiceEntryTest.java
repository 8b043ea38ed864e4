package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.validation.IstioValidation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceEntries of Istio's egress tasks and reference are accepted, in every version, and read as written. */
class ServiceEntryTest {
    private static List<JsonNode> entries() throws IOException {
        try (InputStream in = ServiceEntryTest.class.getResourceAsStream("service-entries.yaml")) {
            return IstioTestResources.documents(in);
        }
    }

    @Test
    void istiosExamplesAreAccepted() throws IOException {
        for (JsonNode doc : entries()) {
            assertThat(IstioValidation.errors(IstioKind.SERVICE_ENTRY, doc.get("spec")))
                    .as(doc.at("/metadata/name").asText()).isEmpty();
        }
    }

    @Test
    void defaultsAreIstios() throws Exception {
        JsonNode first = entries().stream().filter(d -> d.at("/metadata/name").asText().equals("external-svc-wildcard-example"))
                .findFirst().orElseThrow();
        ServiceEntrySpec spec = (ServiceEntrySpec) IstioValidation.parseAndValidate(IstioKind.SERVICE_ENTRY, first.get("spec"));
        assertThat(spec.resolutionOrDefault()).isEqualTo("NONE");
        ServiceEntrySpec bare = IstioParser.serviceEntry(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"hosts\":[\"a.example.com\"]}"));
        assertThat(bare.resolutionOrDefault()).isEqualTo("NONE");
        assertThat(bare.locationOrDefault()).isEqualTo("MESH_EXTERNAL");
    }

    @Test
    void endpointPortsAndLabelsAreKept() throws Exception {
        JsonNode dns = entries().stream().filter(d -> d.at("/metadata/name").asText().equals("external-svc-dns"))
                .findFirst().orElseThrow();
        ServiceEntrySpec spec = (ServiceEntrySpec) IstioValidation.parseAndValidate(IstioKind.SERVICE_ENTRY, dns.get("spec"));
        assertThat(spec.endpoints()).extracting(ServiceEntrySpec.Endpoint::address).containsExactly("us.foo.bar.com", "uk.foo.bar.com");
        assertThat(spec.endpoints().getFirst().ports()).containsEntry("https", 8443);
    }
}
