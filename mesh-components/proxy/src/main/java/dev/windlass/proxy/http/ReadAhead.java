package dev.windlass.proxy.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * What a downstream read brought ahead of where it can go: request parts read before they had somewhere to go
 * (pipelined requests, body parts of a request whose attempt is not connected yet), in order, and the attempt
 * that waits for the read to end, since the rest of the read may still break the request's framing and nothing
 * may leave before it is decoded. It is the deque rather than wrapping one: one object per connection or
 * stream, as before. Used only on the connection's event loop.
 */
final class ReadAhead extends ArrayDeque<HttpObject> {
    private boolean reading;
    private Exchange deferredAttempt;

    void readStarted() {
        reading = true;
    }

    /** Holds the attempt until the read ends when inside a read; false when it may start now. */
    boolean deferAttempt(Exchange ex) {
        if (!reading) {
            return false;
        }
        deferredAttempt = ex;
        return true;
    }

    /** The read ended: returns the attempt that waited for it, or null. */
    Exchange readEnded() {
        reading = false;
        Exchange deferred = deferredAttempt;
        deferredAttempt = null;
        return deferred;
    }

    /** Whether a pipelined request waits; else every waiting part is the current request's body. */
    boolean holdsRequestHead() {
        for (HttpObject waiting : this) {
            if (waiting instanceof HttpRequest) {
                return true;
            }
        }
        return false;
    }

    /** Whether the next waiting part is a piece of the current request's body (not the next request). */
    boolean bodyPartNext() {
        return peekFirst() instanceof HttpContent next && !(next instanceof HttpRequest);
    }

    /**
     * A request that is head and body at once is split, so that every body takes the same path: its body waits
     * first, its head is returned. Any other request is returned as it is.
     */
    HttpRequest splitHead(HttpRequest request) {
        if (!(request instanceof FullHttpRequest full)) {
            return request;
        }
        addFirst(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        return new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
    }

    void releaseAll() {
        forEach(ReferenceCountUtil::release);
        clear();
    }
}
