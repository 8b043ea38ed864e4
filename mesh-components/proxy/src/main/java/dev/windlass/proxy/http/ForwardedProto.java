package dev.windlass.proxy.http;

import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.net.Flow;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * x-forwarded-proto as the connection manager leaves it before routing. At a gateway, Envoy's rule: the
 * connection's scheme replaces whatever the client sent unless the HCM trusts earlier hops
 * (xff_num_trusted_hops &gt; 0) and the header is there, so a plain-HTTP client cannot claim https and skip
 * require_tls. A sidecar keeps a value that is present: without mTLS between sidecars yet, the connection from the
 * gateway is plain and overwriting would lose the scheme the client used at the gateway.
 */
final class ForwardedProto {
    private ForwardedProto() {
    }

    /** Sets the header as above and returns its value. */
    static String apply(HttpHeaders headers, Flow flow, int trustedHops, String connectionScheme) {
        String sent = headers.get(PeerHeaders.FORWARDED_PROTO);
        boolean keep = sent != null && (flow.direction() != Direction.GATEWAY || trustedHops > 0);
        if (keep) {
            return sent;
        }
        headers.set(PeerHeaders.FORWARDED_PROTO, connectionScheme);
        return connectionScheme;
    }
}
