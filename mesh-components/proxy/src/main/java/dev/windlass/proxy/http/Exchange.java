package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.net.UpstreamTarget;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/** One request and its response as they pass through: what telemetry needs, and where the exchange stands. */
final class Exchange {
    final long startNanos = System.nanoTime();
    final String method;
    final String path;
    final String authority;
    final String protocol;
    final String userAgent;
    final String forwardedFor;
    final boolean headRequest;
    String requestId;
    String sourceWorkload;
    String sourceNamespace;
    String destinationWorkload;
    String destinationNamespace;
    String destinationService;
    String cluster = "-";
    String flags = "-";
    UpstreamTarget target;
    Channel upstream;
    UpstreamPool.Key poolKey;
    long upstreamStartNanos;
    long serviceTimeMillis = -1;
    int status;
    long bytesReceived;
    long bytesSent;
    boolean keepAlive;
    boolean requestComplete;
    boolean responseStarted;
    boolean responseComplete;
    /** A 1xx response was passed on; the empty end the codec adds after it is not the real end. */
    boolean informational;
    /** The proxy answered itself; the request body is read and dropped. */
    boolean local;
    HttpRequest requestHead;
    boolean upstreamReusable;

    Exchange(HttpRequest request, boolean http2) {
        this.method = request.method().name();
        this.path = request.uri();
        this.authority = request.headers().get(HttpHeaderNames.HOST, "");
        this.protocol = http2 ? "HTTP/2" : request.protocolVersion().text();
        this.userAgent = request.headers().get(HttpHeaderNames.USER_AGENT, "-");
        this.forwardedFor = request.headers().get("x-forwarded-for", "-");
        this.headRequest = HttpMethod.HEAD.equals(request.method());
    }

    /** The proxy answers this request itself; the source labels come from the request as usual. */
    void answerLocally(RequestRouter.Local local, HttpRequest request, Direction direction, NodeIdentity self) {
        this.local = true;
        cluster = local.cluster();
        requestId = request.headers().get(PeerHeaders.REQUEST_ID);
        boolean inbound = direction == Direction.INBOUND;
        sourceWorkload = inbound ? request.headers().get(PeerHeaders.WORKLOAD) : self.workload();
        sourceNamespace = inbound ? request.headers().get(PeerHeaders.NAMESPACE) : self.namespace();
        status = local.reply().status();
        flags = local.reply().flags();
        responseStarted = true;
        responseComplete = true;
    }

    /**
     * This request goes to an upstream: records where (for metrics: the service from Istio's cluster name, the
     * workload from the endpoint's metadata) and returns whether the upstream connection speaks HTTP/2.
     */
    boolean sendTo(RequestRouter.Upstream upstream, boolean fromHttp2) {
        target = upstream.target();
        cluster = upstream.cluster();
        ClusterConfig config = target.cluster();
        destinationService = config.serviceHost() != null ? config.serviceHost() : hostOnly(authority);
        if (target.endpoint() != null) {
            destinationWorkload = target.endpoint().workload();
            destinationNamespace = target.endpoint().namespace();
        }
        boolean toHttp2 = config.protocol() == ClusterConfig.Protocol.HTTP2
                || (config.protocol() == ClusterConfig.Protocol.DOWNSTREAM && fromHttp2);
        poolKey = new UpstreamPool.Key(target.address(), target.source(), toHttp2);
        return toHttp2;
    }

    private static String hostOnly(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    }

    double durationMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    String upstreamHost() {
        return target == null ? "-" : target.address().getHostString() + ":" + target.address().getPort();
    }
}
