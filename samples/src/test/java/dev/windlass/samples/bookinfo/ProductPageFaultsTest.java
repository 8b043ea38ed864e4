package dev.windlass.samples.bookinfo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.windlass.samples.bookinfo.BookinfoTest.attributes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Istio's fault-injection and timeout tasks rely on, with stub upstreams and the timeouts scaled down: reviews
 * is tried twice, details once, and ratings failures show upstream's texts.
 */
class ProductPageFaultsTest {
    private static final String DETAILS = "{\"service\":\"details\",\"version\":\"v1\",\"pod\":\"d\",\"book\":{\"type\":\"paperback\"}}";
    private static final String REVIEWS = "{\"service\":\"reviews\",\"version\":\"v2\",\"pod\":\"r\",\"stars\":\"black\",\"reviews\":[]}";
    private static final String RATINGS = "{\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}";
    private static final Environment.Timeouts FAST = new Environment.Timeouts(Duration.ofMillis(300), Duration.ofMillis(300), 2,
            Duration.ofMillis(1500), Duration.ofMillis(300));
    private final Stubs stubs = new Stubs();

    @AfterEach
    void stop() {
        stubs.close();
    }

    @Test
    void aSlowReviewsIsTriedTwiceThenTheReviewsAreUnavailable() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        Stubs.Stub reviews = stubs.stub(n -> new Stubs.Answer(200, REVIEWS, 2000));

        long start = System.nanoTime();
        String html = Stubs.get(productpage(details, reviews) + "/productpage").body();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reviews.calls).hasValue(2);
        assertThat(took).isBetween(Duration.ofMillis(550), Duration.ofMillis(1500));
        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "0").containsEntry("data-attempts", "2");
        assertThat(html).contains("Sorry, product reviews are currently unavailable for this book.");
        assertThat(attributes(html, "details")).containsEntry("data-details-status", "200");
    }

    @Test
    void aFailingReviewsIsRetriedOnceAndItsStatusShown() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        Stubs.Stub reviews = stubs.stub(n -> new Stubs.Answer(504, "upstream request timeout", 0));

        String html = Stubs.get(productpage(details, reviews) + "/productpage").body();

        assertThat(reviews.calls).hasValue(2);
        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "504");
        assertThat(html).contains(ProductPageHtml.REVIEWS_UNAVAILABLE);
    }

    @Test
    void theRetryCanSucceed() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        Stubs.Stub reviews = stubs.stub(n -> n == 1 ? new Stubs.Answer(503, "", 0) : new Stubs.Answer(200, REVIEWS, 0));

        String html = Stubs.get(productpage(details, reviews) + "/productpage").body();

        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "200").containsEntry("data-attempts", "2")
                .containsEntry("data-version", "v2");
        assertThat(html).doesNotContain(ProductPageHtml.REVIEWS_UNAVAILABLE);
    }

    @Test
    void detailsIsNotRetried() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(500, "", 0));
        Stubs.Stub reviews = stubs.stub(n -> new Stubs.Answer(200, REVIEWS, 0));

        String html = Stubs.get(productpage(details, reviews) + "/productpage").body();

        assertThat(details.calls).hasValue(1);
        assertThat(attributes(html, "details")).containsEntry("data-details-status", "500");
        assertThat(html).contains("Error fetching product details!", ProductPageHtml.DETAILS_UNAVAILABLE);
    }

    @Test
    void aFailingRatingsShowsRatingsUnavailable() throws Exception {
        Stubs.Stub ratings = stubs.stub(n -> new Stubs.Answer(500, "fault filter abort", 0));

        String html = Stubs.get(bookinfo("v2", ratings) + "/productpage").body();

        assertThat(ratings.calls).as("no retry").hasValue(1);
        assertThat(attributes(html, "reviews")).containsEntry("data-reviews-status", "200").containsEntry("data-stars", "black")
                .containsEntry("data-ratings-status", "500");
        assertThat(html).contains("<i>Ratings service is currently unavailable</i>").doesNotContain("class=\"rating\"");
    }

    @Test
    void redStarsWaitLessForRatingsThanBlackOnes() throws Exception {
        Stubs.Stub ratings = stubs.stub(n -> new Stubs.Answer(200, RATINGS, 700));

        String red = Stubs.get(bookinfo("v3", ratings) + "/productpage").body();
        String black = Stubs.get(bookinfo("v2", ratings) + "/productpage").body();

        assertThat(attributes(red, "reviews")).containsEntry("data-ratings-status", "0");
        assertThat(red).contains(Role.RATINGS_UNAVAILABLE);
        assertThat(attributes(black, "reviews")).containsEntry("data-ratings-status", "200");
        assertThat(black).contains("data-rating=\"5\" data-color=\"black\"").doesNotContain(Role.RATINGS_UNAVAILABLE);
    }

    @Test
    void upstreamCallsArePlainHttp11() throws Exception {
        Stubs.Stub details = stubs.stub(n -> new Stubs.Answer(200, DETAILS, 0));
        Stubs.Stub reviews = stubs.stub(n -> new Stubs.Answer(200, REVIEWS, 0));

        Stubs.get(productpage(details, reviews) + "/productpage");

        assertThat(details.protocols).containsOnly("HTTP/1.1");
        assertThat(details.headers.getFirst().containsKey("Upgrade")).as("no h2c upgrade offered").isFalse();
        assertThat(details.headers.getFirst().containsKey("Http2-settings")).isFalse();
    }

    private String productpage(Stubs.Stub details, Stubs.Stub reviews) throws Exception {
        return stubs.role("productpage", Stubs.env("productpage", "v1", details.url, reviews.url, "").withTimeouts(FAST));
    }

    /** Real productpage, details and reviews VERSION; ratings is the stub. Reviews runs with FAST's ratings timeouts. */
    private String bookinfo(String reviewsVersion, Stubs.Stub ratings) throws Exception {
        String details = stubs.role("details", Stubs.env("details", "v1", "", "", ""));
        String reviews = stubs.role("reviews", Stubs.env("reviews", reviewsVersion, "", "", ratings.url).withTimeouts(FAST));
        return stubs.role("productpage", Stubs.env("productpage", "v1", details, reviews, "")
                .withTimeouts(new Environment.Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), 2, Duration.ZERO, Duration.ZERO)));
    }
}
