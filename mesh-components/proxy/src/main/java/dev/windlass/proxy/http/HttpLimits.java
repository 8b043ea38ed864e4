package dev.windlass.proxy.http;

/** Bounds on what the proxy buffers per message: Envoy's 60 KiB of headers, a 4 KiB request line. */
final class HttpLimits {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 60 * 1024;
    /** Bodies are streamed in pieces of at most this size, never aggregated. */
    static final int MAX_CHUNK = 16 * 1024;

    private HttpLimits() {
    }
}
