package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.windlass.samples.bookinfo.BookinfoTest.attributes;
import static org.assertj.core.api.Assertions.assertThat;

/** Logging in as upstream: a session cookie that productpage turns into end-user for every call down the chain. */
class SessionTest {
    private static final String DETAILS = "{\"service\":\"details\",\"version\":\"v1\",\"pod\":\"d\",\"book\":{}}";
    private final Stubs stubs = new Stubs();

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void loginSetsTheSessionCookieAndRedirectsToThePage() throws Exception {
        String productpage = stubs.role("productpage", Stubs.env("productpage", "v1", "", "", ""));

        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(productpage + "/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=jason&passwd=")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("location")).hasValue("/productpage");
        assertThat(login.headers().firstValue("set-cookie")).hasValue("session=jason; Path=/");

        HttpResponse<String> logout = Stubs.get(productpage + "/logout", "cookie", "session=jason");
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("set-cookie")).hasValue("session=; Path=/; Max-Age=0");

        assertThat(Stubs.get(productpage + "/login").statusCode()).as("GET /login").isEqualTo(405);
    }

    @Test
    void theSessionCookieBecomesEndUserDownToRatings() throws Exception {
        Stubs.Stub ratings = stubs.stub(n -> new Stubs.Answer(200, "{\"ratings\":{\"Reviewer1\":1,\"Reviewer2\":2}}", 0));
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        String reviews = stubs.role("reviews", Stubs.env("reviews", "v2", "", "", ratings.url));
        String productpage = stubs.role("productpage", Stubs.env("productpage", "v1", details.url, reviews, ""));

        String html = Stubs.get(productpage + "/productpage", "cookie", "other=1; session=jason", "x-request-id", "req-1",
                "user-agent", "istio-test", "x-b3-traceid", "abc", "traceparent", "00-abc-def-01").body();

        assertThat(html).contains("Welcome, jason").contains("class=\"logout\"").doesNotContain("name=\"username\"");
        assertThat(attributes(html, "productpage")).containsEntry("data-user", "jason");
        for (Headers seen : new Headers[] {details.headers.getFirst(), ratings.headers.getFirst()}) {
            assertThat(seen.getFirst("end-user")).isEqualTo("jason");
            assertThat(seen.getFirst("x-request-id")).isEqualTo("req-1");
            assertThat(seen.getFirst("user-agent")).isEqualTo("istio-test");
            assertThat(seen.getFirst("x-b3-traceid")).isEqualTo("abc");
            assertThat(seen.getFirst("traceparent")).isEqualTo("00-abc-def-01");
            assertThat(seen.containsKey("cookie")).as("the cookie stays at productpage").isFalse();
        }
    }

    @Test
    void withoutASessionAnEndUserHeaderIsPassedOnAndNobodyIsWelcomed() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        String productpage = stubs.role("productpage", Stubs.env("productpage", "v1", details.url, details.url, ""));

        String html = Stubs.get(productpage + "/productpage", "end-user", "alice").body();

        assertThat(details.headers.getFirst().getFirst("end-user")).isEqualTo("alice");
        assertThat(html).doesNotContain("Welcome").contains("name=\"username\"");
    }

    @Test
    void aBadCookieIsNoSession() throws Exception {
        Headers headers = new Headers();
        headers.add("Cookie", "session=%0Aevil");
        assertThat(Session.user(headers)).isNull();
        headers.set("Cookie", "session=\"jason\"");
        assertThat(Session.user(headers)).isEqualTo("jason");
        headers.set("Cookie", "session=a%20b");
        assertThat(Session.user(headers)).isEqualTo("a b");
    }
}
