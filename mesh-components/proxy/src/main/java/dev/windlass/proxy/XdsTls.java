package dev.windlass.proxy;

import dev.windlass.proxy.tls.TrustBundle;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;

/**
 * TLS and token authentication to the discovery server's port 15012: the server must present a certificate of the
 * mesh CA for the address dialed, and every call carries {@code authorization: Bearer <token>}, read from the
 * projected token file at the start of the call (the kubelet rewrites it before it expires).
 */
final class XdsTls {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private XdsTls() {
    }

    /** {@code trust}: checked at each handshake, so a reconnect after the root rotated trusts the new bundle. */
    static NettyChannelBuilder secure(NettyChannelBuilder builder, ProxyOptions.XdsAuth auth, TrustBundle trust) {
        try {
            return builder.sslContext(GrpcSslContexts.forClient().trustManager(trust.trustManager()).build())
                    .intercept(bearer(auth.tokenFile()));
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to the discovery server: " + e.getMessage(), e);
        }
    }

    private static ClientInterceptor bearer(java.nio.file.Path tokenFile) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, "Bearer " + token(tokenFile));
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** Unreadable: an empty token, which the server refuses, and the stream is retried as after any failure. */
    private static String token(java.nio.file.Path tokenFile) {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            Log.warn("cannot read the ServiceAccount token " + tokenFile + " for the discovery server: " + e);
            return "";
        }
    }
}
