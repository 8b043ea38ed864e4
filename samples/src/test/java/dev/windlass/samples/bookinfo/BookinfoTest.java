package dev.windlass.samples.bookinfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The four roles on real loopback sockets, wired as in the cluster: the JSON API and the HTML page. */
class BookinfoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Stubs stubs = new Stubs();

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void theJsonApiShowsDetailsAndTheReviewsVersionWithRatings() throws Exception {
        String productpage = bookinfo("v2");

        HttpResponse<String> response = Stubs.get(productpage + "/api/v1/products/0", "x-request-id", "abc");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode page = JSON.readTree(response.body());
        assertThat(page.at("/service").asText()).isEqualTo("productpage");
        assertThat(page.at("/pod").asText()).isEqualTo("productpage-v1-pod");
        assertThat(page.at("/details/status").asInt()).isEqualTo(200);
        assertThat(page.at("/details/body/book/author").asText()).isEqualTo("William Shakespeare");
        assertThat(page.at("/reviews/status").asInt()).isEqualTo(200);
        assertThat(page.at("/reviews/body/version").asText()).isEqualTo("v2");
        assertThat(page.at("/reviews/body/stars").asText()).isEqualTo("black");
        assertThat(page.at("/reviews/body/ratings/status").asInt()).isEqualTo(200);
        assertThat(page.at("/reviews/body/ratings/body/ratings/Reviewer1").asInt()).isEqualTo(5);
        assertThat(page.at("/reviews/body/reviews/1/rating/stars").asInt()).isEqualTo(4);
    }

    @Test
    void thePageIsHtmlWithMarkersOfWhoAnswered() throws Exception {
        HttpResponse<String> response = Stubs.get(bookinfo("v2") + "/productpage");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String html = response.body();
        assertThat(attributes(html, "productpage")).containsEntry("data-version", "v1").containsEntry("data-user", "");
        assertThat(attributes(html, "details")).containsEntry("data-details-status", "200")
                .containsEntry("data-pod", "details-v1-pod");
        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "200").containsEntry("data-version", "v2")
                .containsEntry("data-stars", "black").containsEntry("data-pod", "reviews-v2-pod")
                .containsEntry("data-ratings-status", "200").containsEntry("data-attempts", "1");
        assertThat(html).contains("<title>Simple Bookstore App</title>", "The Comedy of Errors", "Book Details", "<dt>Publisher:</dt><dd>PublisherA</dd>",
                "Reviews served by: <u>reviews-v2-pod</u>", "data-rating=\"5\" data-color=\"black\"",
                "<font color=\"black\">&#9733;&#9733;&#9733;&#9733;&#9734;</font>");
        assertThat(html).doesNotContain(ProductPageHtml.REVIEWS_UNAVAILABLE, Role.RATINGS_UNAVAILABLE);
    }

    @Test
    void reviewsV1ShowsNoStarsAndDoesNotCallRatings() throws Exception {
        String reviews = stubs.role("reviews", Stubs.env("reviews", "v1", "", "", "http://127.0.0.1:1"));
        JsonNode body = JSON.readTree(Stubs.get(reviews + "/reviews/0").body());
        assertThat(body.get("ratings").isNull()).isTrue();
        assertThat(body.at("/reviews/0/rating").isMissingNode()).isTrue();

        String html = Stubs.get(bookinfo("v1") + "/productpage").body();
        assertThat(attributes(html, "reviews")).containsEntry("data-version", "v1").containsEntry("data-stars", "none")
                .containsEntry("data-ratings-status", "");
        assertThat(html).doesNotContain("class=\"rating\"", Role.RATINGS_UNAVAILABLE);
    }

    @Test
    void reviewsV3ShowsRedStars() throws Exception {
        String html = Stubs.get(bookinfo("v3") + "/productpage").body();
        assertThat(attributes(html, "reviews")).containsEntry("data-version", "v3").containsEntry("data-stars", "red");
        assertThat(html).contains("<font color=\"red\">&#9733;&#9733;&#9733;&#9733;&#9733;</font>");
    }

    @Test
    void unreachableUpstreamsAreReportedNotThrown() throws Exception {
        String productpage = stubs.role("productpage", Stubs.env("productpage", "v1", "http://127.0.0.1:1", "http://127.0.0.1:1", ""));

        JsonNode api = JSON.readTree(Stubs.get(productpage + "/api/v1/products/0").body());
        assertThat(api.at("/details/status").asInt()).isEqualTo(503);
        assertThat(api.at("/reviews/error").asText()).contains("127.0.0.1:1");

        String html = Stubs.get(productpage + "/productpage").body();
        assertThat(attributes(html, "details")).containsEntry("data-details-status", "0").containsEntry("data-pod", "");
        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "0").containsEntry("data-attempts", "2")
                .containsEntry("data-version", "").containsEntry("data-stars", "");
        assertThat(html).contains("Error fetching product reviews!", ProductPageHtml.REVIEWS_UNAVAILABLE,
                ProductPageHtml.DETAILS_UNAVAILABLE);
    }

    @Test
    void otherPathsOfProductpage() throws Exception {
        String productpage = stubs.role("productpage", Stubs.env("productpage", "v1", "", "", ""));
        assertThat(Stubs.get(productpage + "/").body()).contains("href=\"productpage?u=normal\"");
        assertThat(Stubs.get(productpage + "/health").statusCode()).isEqualTo(200);
        assertThat(Stubs.get(productpage + "/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownRoleIsRefused() {
        assertThatThrownBy(() -> Role.named("cart", new Environment("v1", "p", "", "", "")))
                .hasMessageContaining("unknown role 'cart'");
    }

    /** productpage v1 → details v1 and reviews VERSION → ratings v1, all real; returns productpage's URL. */
    private String bookinfo(String reviewsVersion) throws Exception {
        String ratings = stubs.role("ratings", Stubs.env("ratings", "v1", "", "", ""));
        String details = stubs.role("details", Stubs.env("details", "v1", "", "", ""));
        String reviews = stubs.role("reviews", Stubs.env("reviews", reviewsVersion, "", "", ratings));
        return stubs.role("productpage", Stubs.env("productpage", "v1", details, reviews, ""));
    }

    /** The attributes of the first tag whose class is {@code cssClass}. */
    static Map<String, String> attributes(String html, String cssClass) {
        Matcher tag = Pattern.compile("<\\w+ class=\"" + cssClass + "\"([^>]*)>").matcher(html);
        assertThat(tag.find()).as("a tag of class %s in %s", cssClass, html).isTrue();
        Map<String, String> attributes = new HashMap<>();
        Matcher attribute = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(tag.group(1));
        while (attribute.find()) {
            attributes.put(attribute.group(1), attribute.group(2));
        }
        return attributes;
    }
}
