package dev.windlass.samples.bookinfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The four roles on real loopback sockets, wired as in the cluster. */
class BookinfoTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void productpageShowsDetailsAndTheReviewsVersionWithRatings() throws Exception {
        String ratings = url(start("ratings", "v1", "none", "none", "none"));
        String details = url(start("details", "v1", "none", "none", "none"));
        String reviews = url(start("reviews", "v2", "none", "none", ratings));
        HttpServer productpage = start("productpage", "v1", details, reviews, "none");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url(productpage) + "/productpage")).header("x-request-id", "abc").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = new ObjectMapper().readTree(response.body());
        assertThat(page.at("/service").asText()).isEqualTo("productpage");
        assertThat(page.at("/details/body/book/author").asText()).isEqualTo("William Shakespeare");
        assertThat(page.at("/reviews/body/version").asText()).isEqualTo("v2");
        assertThat(page.at("/reviews/body/stars").asText()).isEqualTo("black");
        assertThat(page.at("/reviews/body/ratings/body/ratings/Reviewer1").asInt()).isEqualTo(5);
    }

    @Test
    void reviewsV1DoesNotCallRatings() throws Exception {
        HttpServer reviews = start("reviews", "v1", "none", "none", "http://127.0.0.1:1");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(reviews) + "/reviews/0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(new ObjectMapper().readTree(body).get("ratings").isNull()).isTrue();
    }

    @Test
    void anUnreachableUpstreamIsReportedNotThrown() throws Exception {
        HttpServer productpage = start("productpage", "v1", "http://127.0.0.1:1", "http://127.0.0.1:1", "none");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(productpage) + "/productpage")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(new ObjectMapper().readTree(body).at("/details/status").asInt()).isEqualTo(503);
    }

    @Test
    void anUnknownRoleIsRefused() {
        assertThatThrownBy(() -> Role.named("cart", new Environment("v1", "p", "", "", "")))
                .hasMessageContaining("unknown role 'cart'");
    }

    private HttpServer start(String role, String version, String details, String reviews, String ratings) throws Exception {
        HttpServer server = Bookinfo.start(Role.named(role, new Environment(version, role + "-pod", details, reviews, ratings)), 0);
        servers.add(server);
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
