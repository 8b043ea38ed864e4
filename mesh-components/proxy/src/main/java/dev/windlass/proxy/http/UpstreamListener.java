package dev.windlass.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/** Who an upstream connection reports to while it is bound: an exchange's downstream, or a mirror that discards. */
interface UpstreamListener {
    void onUpstreamMessage(HttpObject message);

    void onUpstreamReadComplete();

    void onUpstreamWritability(boolean writable);

    void onUpstreamClosed();
}
