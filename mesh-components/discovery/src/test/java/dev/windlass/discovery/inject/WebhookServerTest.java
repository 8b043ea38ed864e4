package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorConfig;
import dev.windlass.injector.InjectorJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook over a real HTTPS socket, with a client that trusts only our CA, as the apiserver does. */
class WebhookServerTest {
    private final CertificateAuthority ca = CertificateAuthority.generate("test-ca");
    private ServingCertificates serving;
    private WebhookServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        AdmissionHandler handler = new AdmissionHandler(() -> Optional.of(InjectorConfig.parse(InjectFixtures.CONFIG_MAP_DATA)),
                ns -> Map.of("windlass-injection", "enabled"), "windlass-system", new Metrics());
        serving = ServingCertificates.start("webhooks", () -> ca, List.of("windlass-discovery.windlass-system.svc"),
                List.of("127.0.0.1"), ServingCertificates.DEFAULT_LIFETIME);
        server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), serving.serverContext(),
                handler, new ValidationHandler(new Metrics())).start();
        client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
    }

    @AfterEach
    void stop() {
        server.close();
        serving.close();
        client.close();
    }

    @Test
    void postsAnAdmissionReviewAndGetsTheJsonPatch() throws Exception {
        ObjectNode review = InjectFixtures.review("abc", "shop", InjectFixtures.pod("web", Map.of()));
        HttpResponse<String> response = post("/inject", InjectorJson.json(review));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = InjectorJson.JSON.readTree(response.body());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("abc");
        assertThat(InjectFixtures.patched(review, answer).path("spec").path("initContainers").findValuesAsText("name"))
                .containsExactly("windlass-init");
    }

    @Test
    void answersBadRequestsWithoutFallingOver() throws Exception {
        assertThat(post("/inject", "{not json").statusCode()).isEqualTo(400);
        assertThat(post("/inject", "{\"kind\":\"AdmissionReview\"}").statusCode()).isEqualTo(400);
        assertThat(post("/other", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri("/inject")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(post("/inject", InjectorJson.json(InjectFixtures.review("x", "shop", InjectFixtures.pod("p", Map.of()))))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void validatesTheTrafficApiOnSlashValidate() throws Exception {
        ObjectNode refused = ValidationHandlerTest.review("v1", "CREATE", "v1", "VirtualService", ValidationHandlerTest.reviews(-1));
        HttpResponse<String> response = post("/validate", InjectorJson.json(refused));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = InjectorJson.JSON.readTree(response.body());
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("v1");
        assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
        assertThat(answer.path("response").path("status").path("message").asText()).contains("spec.http[0].route[0].weight");
        ObjectNode allowed = ValidationHandlerTest.review("v2", "CREATE", "v1", "VirtualService", ValidationHandlerTest.reviews(50));
        assertThat(InjectorJson.JSON.readTree(post("/validate", InjectorJson.json(allowed)).body())
                .path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void anUnreadableValidationRequestIsABadRequest() throws Exception {
        HttpResponse<String> garbage = post("/validate", "{not json");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).startsWith("bad request: cannot decode AdmissionReview");
        HttpResponse<String> noUid = post("/validate", "{\"kind\":\"AdmissionReview\"}");
        assertThat(noUid.statusCode()).isEqualTo(400);
        assertThat(noUid.body()).contains("not an AdmissionReview with request.uid");
        assertThat(post("/validate/more", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void aClientThatDoesNotTrustOurCaIsRefused() {
        HttpClient stranger = HttpClient.newBuilder().sslContext(CertificateAuthority.generate("other").clientContext()).build();
        assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(uri("/inject")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }
}
