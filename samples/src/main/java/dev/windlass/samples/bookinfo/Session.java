package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.Headers;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * productpage's login, as upstream's: a cookie naming the user, which productpage sends on as end-user. The
 * cookie is the plain user name ({@code session=jason}), not signed, so a test can send it without logging in.
 */
final class Session {
    static final String COOKIE = "session";
    private static final int MAX_USER = 256;

    private Session() {
    }

    /** The logged-in user from the request's session cookie, or null. */
    static String user(Headers headers) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].strip().equals(COOKIE)) {
                    return valid(decode(unquote(pair[1].strip())));
                }
            }
        }
        return null;
    }

    /** POST /login with form field username: sets the cookie and goes back to the page, as upstream. */
    static Role.Response login(Role.Request request) {
        if (!request.method().equals("POST")) {
            return new Role.Response(405, "{\"error\":\"POST a form with a username\"}", "application/json", Map.of("Allow", "POST"));
        }
        List<String> names = Http.form(request.body()).get("username");
        String user = names == null ? null : valid(names.getFirst().strip());
        if (user == null) {
            return redirect("session=; Path=/; Max-Age=0");
        }
        return redirect(COOKIE + "=" + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20") + "; Path=/");
    }

    /** GET or POST /logout: clears the cookie. */
    static Role.Response logout() {
        return redirect(COOKIE + "=; Path=/; Max-Age=0");
    }

    private static Role.Response redirect(String cookie) {
        return new Role.Response(302, "", "text/plain", Map.of("Location", "/productpage", "Set-Cookie", cookie));
    }

    /** A user name that can go into a header (printable ASCII), not empty, not too long; else null. */
    private static String valid(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_USER) {
            return null;
        }
        return user.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? user : null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
