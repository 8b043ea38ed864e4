package dev.windlass.proxy.http;

import dev.windlass.proxy.config.HashKey;
import dev.windlass.proxy.config.LoadBalancer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request's consistent-hash key, as the route's compiled {@link HashKey} says: hashed in place over the header,
 * cookie or query text (no copy), or the connection's source address, hashed once per connection. A missing cookie
 * with a ttl is generated here, as Envoy does: a random value, hashed, and set on the response.
 */
final class RequestHash {
    private long sourceIpHash;
    private boolean sourceIpHashed;

    /** Sets {@code ex.hashed} and {@code ex.hash} when the request has the key, and {@code ex.setCookie} when generated. */
    void apply(Exchange ex, HashKey key, SocketAddress peer) {
        switch (key) {
            case HashKey.Header header -> {
                String value = ex.prepared.headers().get(header.name());
                if (value != null) {
                    hashed(ex, LoadBalancer.hashOf(value));
                }
            }
            case HashKey.Cookie cookie -> cookie(ex, cookie);
            case HashKey.SourceIp ignored -> hashed(ex, sourceIp(peer));
            case HashKey.QueryParameter query -> query(ex, ex.prepared, query.name());
        }
    }

    private static void hashed(Exchange ex, long hash) {
        ex.hashed = true;
        ex.hash = hash;
    }

    private long sourceIp(SocketAddress peer) {
        if (!sourceIpHashed) {
            String ip = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(peer);
            sourceIpHash = LoadBalancer.hashOf(ip);
            sourceIpHashed = true;
        }
        return sourceIpHash;
    }

    private static void cookie(Exchange ex, HashKey.Cookie cookie) {
        String header = ex.prepared.headers().get(HttpHeaderNames.COOKIE);
        int at = header == null ? -1 : find(header, cookie.name(), ';');
        if (at >= 0) {
            int end = end(header, at, ';');
            boolean quoted = end - at >= 2 && header.charAt(at) == '"' && header.charAt(end - 1) == '"';
            hashed(ex, quoted ? HashKey.hash(header, at + 1, end - 1) : HashKey.hash(header, at, end));
        } else if (cookie.generates()) {
            String value = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            hashed(ex, LoadBalancer.hashOf(value));
            ex.setCookie = setCookie(cookie, value);
        }
    }

    static String setCookie(HashKey.Cookie cookie, String value) {
        StringBuilder out = new StringBuilder(cookie.name()).append('=').append(value);
        if (!cookie.path().isEmpty()) {
            out.append("; Path=").append(cookie.path());
        }
        if (cookie.ttlSeconds() > 0) {
            out.append("; Max-Age=").append(cookie.ttlSeconds());
        }
        return out.append("; HttpOnly").toString();
    }

    private static void query(Exchange ex, HttpRequest request, String name) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        if (question < 0) {
            return;
        }
        int fragment = uri.indexOf('#', question);
        int at = find(uri, name, '&', question + 1, fragment < 0 ? uri.length() : fragment);
        if (at >= 0) {
            hashed(ex, HashKey.hash(uri, at, end(uri, at, '&', fragment < 0 ? uri.length() : fragment)));
        }
    }

    /** The start of the value of {@code name} in "a=1; b=2" (separator ';', spaces skipped), or -1. */
    static int find(String text, String name, char separator) {
        return find(text, name, separator, 0, text.length());
    }

    static int find(String text, String name, char separator, int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && text.charAt(i) == ' ') {
                i++;
            }
            int valueStart = i + name.length() + 1;
            if (valueStart <= to && text.startsWith(name, i) && text.charAt(i + name.length()) == '=') {
                return valueStart;
            }
            int next = text.indexOf(separator, i);
            i = next < 0 || next >= to ? to : next + 1;
        }
        return -1;
    }

    private static int end(String text, int start, char separator) {
        return end(text, start, separator, text.length());
    }

    private static int end(String text, int start, char separator, int to) {
        int next = text.indexOf(separator, start);
        return next < 0 || next > to ? to : next;
    }
}
