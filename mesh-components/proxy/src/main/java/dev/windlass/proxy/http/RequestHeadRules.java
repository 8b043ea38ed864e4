package dev.windlass.proxy.http;

import dev.windlass.proxy.telemetry.ProxyStats.Refusal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The rules on a decoded request head that Netty's decoders leave to their user, by RFC section. Each is a scan
 * over a few short strings, no allocation, except where an absolute-form target is rewritten (RFC 9112 3.2.2).
 */
final class RequestHeadRules {
    /** uri-host and port characters (RFC 3986 3.2.2: unreserved, pct-encoded, sub-delims, IP-literal, ":" port). */
    private static final boolean[] HOST_CHARS = new boolean[128];

    static {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%:[]";
        for (int i = 0; i < allowed.length(); i++) {
            HOST_CHARS[allowed.charAt(i)] = true;
        }
    }

    private RequestHeadRules() {
    }

    /**
     * An HTTP/1.x head: the version (RFC 9110 6.2), the request-target (RFC 9112 3.2), Host (RFC 9112 3.2: one
     * field line, required in 1.1; RFC 9110 7.2) and the transfer codings (RFC 9112 6.1: only chunked is known
     * here, anything else is 501). {@code hostLines} and {@code transferEncodingLines} count field lines as sent.
     */
    static Refusal http1(HttpRequest request, int hostLines, int transferEncodingLines) {
        if (request.protocolVersion().majorVersion() != 1) {
            return Refusal.VERSION;
        }
        HttpHeaders headers = request.headers();
        if (hostLines > 1) {
            return Refusal.HOST_DUPLICATE;
        }
        if (hostLines == 0 && request.protocolVersion().minorVersion() >= 1) {
            return Refusal.HOST_MISSING;
        }
        if (hostLines == 1 && !validAuthority(headers.get(HttpHeaderNames.HOST), true)) {
            return Refusal.HOST_INVALID;
        }
        if (transferEncodingLines > 1 || transferEncodingLines == 1
                && !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(headers.get(HttpHeaderNames.TRANSFER_ENCODING))) {
            // Netty has checked that chunked is last and once; what remains is a coding before it.
            return Refusal.TRANSFER_CODING_UNSUPPORTED;
        }
        return target(request);
    }

    /**
     * RFC 9112 3.2: origin-form, asterisk-form for OPTIONS, authority-form for CONNECT, else absolute-form, which
     * a proxy turns into origin-form with the target's authority as Host (3.2.2). Visible ASCII only, no fragment.
     */
    private static Refusal target(HttpRequest request) {
        String uri = request.uri();
        if (uri.isEmpty()) {
            return Refusal.TARGET;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') {
                return Refusal.TARGET;
            }
        }
        char first = uri.charAt(0);
        if (first == '/') {
            return null;
        }
        if (HttpMethod.CONNECT.equals(request.method())) {
            return validAuthority(uri, false) ? null : Refusal.TARGET;
        }
        if (first == '*') {
            return uri.length() == 1 && HttpMethod.OPTIONS.equals(request.method()) ? null : Refusal.TARGET;
        }
        return absoluteForm(request, uri);
    }

    private static Refusal absoluteForm(HttpRequest request, String uri) {
        int start = uri.regionMatches(true, 0, "http://", 0, 7) ? 7 : uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (start < 0) {
            return Refusal.TARGET;
        }
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        String authority = uri.substring(start, end);
        // RFC 9110 4.2.1: an http(s) URI with an empty host is invalid; 4.2.4: userinfo is an error.
        if (!validAuthority(authority, false)) {
            return Refusal.TARGET;
        }
        request.headers().set(HttpHeaderNames.HOST, authority);
        request.setUri(end == uri.length() ? "/" : uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end));
        return null;
    }

    private static boolean validAuthority(String authority, boolean emptyAllowed) {
        if (authority == null || authority.isEmpty()) {
            return emptyAllowed;
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c >= 128 || !HOST_CHARS[c]) {
                return false;
            }
        }
        return true;
    }
}
