package dev.windlass.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * The request body kept for a retry or a mirror, as retained slices of what was read (no copy). Up to
 * {@link #LIMIT} bytes, as Envoy buffers up to its buffer limit: a larger body is streamed once and never
 * retried or mirrored.
 */
final class ReplayBuffer {
    static final int LIMIT = 64 * 1024;

    private List<HttpContent> parts;
    private long bytes;
    private boolean overflowed;

    /** Keeps a retained duplicate of {@code part} while the body still fits. */
    void keep(HttpContent part) {
        if (overflowed) {
            return;
        }
        bytes += part.content().readableBytes();
        if (bytes > LIMIT) {
            overflowed = true;
            release();
            return;
        }
        if (parts == null) {
            parts = new ArrayList<>(2);
        }
        parts.add(part.retainedDuplicate());
    }

    /** Whether the whole body so far can be sent again. */
    boolean replayable() {
        return !overflowed;
    }

    /** Fresh retained duplicates of the kept parts, for one more send. */
    List<HttpContent> copies() {
        if (parts == null) {
            return List.of();
        }
        List<HttpContent> copies = new ArrayList<>(parts.size());
        for (HttpContent part : parts) {
            copies.add(part.retainedDuplicate());
        }
        return copies;
    }

    void release() {
        if (parts != null) {
            parts.forEach(ReferenceCountUtil::release);
            parts = null;
        }
    }
}
