package dev.windlass.proxy.tls;

import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.NodeIdentity;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * Who is at the other end of a connection the proxy terminated TLS on, as its verified client certificate says:
 * its SPIFFE id, and the {@code x-forwarded-client-cert} value a sidecar sets on requests to its app (Envoy's
 * SANITIZE_SET with By, Hash, Subject and URI, Istio's choice for sidecars). Worked out once per connection, on
 * its first request, and kept on the connection; null for plain text or a certificate without a SPIFFE id.
 */
public record MeshPeer(SpiffeId id, String forwardedClientCert) {
    private static final AttributeKey<MeshPeer> KEY = AttributeKey.valueOf("windlass.meshPeer");
    private static final MeshPeer NONE = new MeshPeer(null, null);
    private static final int URI = 6;

    /** The peer of {@code channel} (an HTTP/2 stream's is its connection's), or null; {@code self} names the By. */
    public static MeshPeer of(Channel channel, NodeIdentity self) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        MeshPeer peer = connection.attr(KEY).get();
        if (peer == null) {
            peer = read(connection, self);
            connection.attr(KEY).set(peer);
        }
        return peer == NONE ? null : peer;
    }

    private static MeshPeer read(Channel connection, NodeIdentity self) {
        SslHandler tls = connection.pipeline().get(SslHandler.class);
        if (tls == null) {
            return NONE;
        }
        try {
            var certificates = tls.engine().getSession().getPeerCertificates();
            if (certificates.length == 0 || !(certificates[0] instanceof X509Certificate leaf)) {
                return NONE;
            }
            SpiffeId id = spiffeId(leaf);
            if (id == null) {
                return NONE;
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
            return new MeshPeer(id, "By=" + selfUri(self) + ";Hash=" + hash + ";Subject=\"\";URI=" + id.uri());
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        } catch (CertificateEncodingException | CertificateParsingException | NoSuchAlgorithmException e) {
            return NONE;
        }
    }

    /** The proxy's own SPIFFE id; empty without a service account (a proxy outside Kubernetes). */
    private static String selfUri(NodeIdentity self) {
        try {
            return self.spiffeId().uri();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static SpiffeId spiffeId(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        if (names == null) {
            return null;
        }
        for (List<?> name : names) {
            if (name.size() == 2 && name.get(0) instanceof Integer type && type == URI
                    && name.get(1) instanceof String uri && uri.startsWith(SpiffeId.SCHEME)) {
                try {
                    return SpiffeId.parse(uri);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
