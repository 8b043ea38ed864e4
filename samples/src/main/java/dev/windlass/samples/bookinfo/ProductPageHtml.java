package dev.windlass.samples.bookinfo;

import java.util.List;
import java.util.Map;

/**
 * productpage's HTML, after upstream's template: the same texts where a call fails, and data-* attributes naming
 * who answered (version, pod, star colour) and each call's HTTP status (0 when no response came), for tests.
 */
final class ProductPageHtml {
    static final String TYPE = "text/html; charset=utf-8";
    static final String REVIEWS_UNAVAILABLE = "Sorry, product reviews are currently unavailable for this book.";
    static final String DETAILS_UNAVAILABLE = "Sorry, product details are currently unavailable for this book.";
    private static final String SUMMARY = "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">Wikipedia Summary</a>:"
            + " The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his"
            + " most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in"
            + " addition to puns and word play.";
    /** Upstream's details table: label, then the field of details' book. */
    private static final List<List<String>> DETAIL_FIELDS = List.of(List.of("Type", "type"), List.of("Pages", "pages"),
            List.of("Publisher", "publisher"), List.of("Language", "language"), List.of("ISBN-10", "ISBN-10"),
            List.of("ISBN-13", "ISBN-13"));

    private final Environment env;
    private final String user;
    private final StringBuilder html = new StringBuilder();

    ProductPageHtml(Environment env, String user) {
        this.env = env;
        this.user = user;
    }

    static String index() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Simple Bookstore App</title></head>\n"
                + "<body><h3>Hello! This is a simple bookstore application consisting of three services as shown below</h3>\n"
                + "<p>productpage → details, reviews → ratings</p>\n"
                + "<p><a href=\"productpage?u=normal\">Normal user</a> <a href=\"productpage?u=test\">Test user</a></p>\n</body></html>\n";
    }

    String render(Upstream.Result details, Upstream.Result reviews) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Simple Bookstore App</title></head>\n<body>\n");
        navigation();
        html.append("<main class=\"productpage\" data-service=\"productpage\" data-version=\"").append(attr(env.version()))
                .append("\" data-pod=\"").append(attr(env.pod())).append("\" data-user=\"").append(attr(user == null ? "" : user))
                .append("\">\n<h3 class=\"title\">The Comedy of Errors</h3>\n<p class=\"summary\">Summary: ").append(SUMMARY).append("</p>\n");
        details(details);
        reviews(reviews);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private void navigation() {
        html.append("<nav class=\"navbar\"><a class=\"brand\" href=\"/\">BookInfo Sample</a>\n");
        if (user != null) {
            html.append("<span class=\"user\" data-user=\"").append(attr(user)).append("\">Welcome, ").append(text(user))
                    .append("</span> <a class=\"logout\" href=\"logout\">sign out</a>\n");
        } else {
            html.append("<form class=\"login\" method=\"post\" action=\"login\"><input type=\"text\" name=\"username\""
                    + " placeholder=\"User Name\"> <input type=\"password\" name=\"passwd\" placeholder=\"Password\">"
                    + " <button type=\"submit\">Sign in</button></form>\n");
        }
        html.append("</nav>\n");
    }

    private void details(Upstream.Result details) {
        Object body = details.ok() ? details.json() : null;
        Object book = Json.at(body, "book");
        html.append("<div class=\"details\" data-details-status=\"").append(details.status())
                .append("\" data-version=\"").append(attr(field(body, "version"))).append("\" data-pod=\"")
                .append(attr(field(body, "pod"))).append("\">\n");
        if (book instanceof Map<?, ?> fields) {
            html.append("<h4>Book Details</h4>\n<dl>\n");
            for (List<String> field : DETAIL_FIELDS) {
                html.append("<dt>").append(field.get(0)).append(":</dt><dd>").append(text(String.valueOf(fields.get(field.get(1)))))
                        .append("</dd>\n");
            }
            html.append("</dl>\n");
        } else {
            html.append("<h4 class=\"error\">Error fetching product details!</h4>\n<p class=\"error\">")
                    .append(DETAILS_UNAVAILABLE).append("</p>\n");
        }
        html.append("</div>\n");
    }

    private void reviews(Upstream.Result reviews) {
        Object body = reviews.ok() ? reviews.json() : null;
        Object ratingsStatus = Json.at(body, "ratingsStatus");
        html.append("<div class=\"reviews\" data-reviews-status=\"").append(reviews.status())
                .append("\" data-attempts=\"").append(reviews.attempts())
                .append("\" data-version=\"").append(attr(field(body, "version")))
                .append("\" data-stars=\"").append(attr(field(body, "stars")))
                .append("\" data-pod=\"").append(attr(field(body, "pod")))
                .append("\" data-ratings-status=\"").append(ratingsStatus == null ? "" : attr(ratingsStatus.toString())).append("\">\n");
        if (Json.at(body, "reviews") instanceof List<?> list) {
            html.append("<h4>Book Reviews</h4>\n");
            list.forEach(this::review);
            html.append("<p class=\"served-by\">Reviews served by: <u>").append(text(field(body, "pod"))).append("</u></p>\n");
        } else {
            html.append("<h4 class=\"error\">Error fetching product reviews!</h4>\n<p class=\"error\">")
                    .append(REVIEWS_UNAVAILABLE).append("</p>\n");
        }
        html.append("</div>\n");
    }

    private void review(Object review) {
        html.append("<blockquote class=\"review\"><p>").append(text(field(review, "text"))).append("</p> <small>")
                .append(text(field(review, "reviewer"))).append("</small>");
        Object stars = Json.at(review, "rating", "stars");
        Object error = Json.at(review, "rating", "error");
        if (stars instanceof Number count) {
            Object colorValue = Json.at(review, "rating", "color");
            String color = colorValue == null ? "" : colorValue.toString();
            int filled = Math.clamp(count.intValue(), 0, 5);
            html.append(" <span class=\"rating\" data-rating=\"").append(filled).append("\" data-color=\"").append(attr(color))
                    .append("\"><font color=\"").append(attr(color)).append("\">")
                    .append("&#9733;".repeat(filled)).append("&#9734;".repeat(5 - filled)).append("</font></span>");
        } else if (error != null) {
            html.append(" <p class=\"rating-error\"><i>").append(text(error.toString())).append("</i></p>");
        }
        html.append("</blockquote>\n");
    }

    /** A field of a JSON object as text, "" when absent. */
    private static String field(Object json, String key) {
        Object value = Json.at(json, key);
        return value == null ? "" : value.toString();
    }

    private static String text(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attr(String value) {
        return text(value).replace("\"", "&quot;").replace("'", "&#39;");
    }
}
