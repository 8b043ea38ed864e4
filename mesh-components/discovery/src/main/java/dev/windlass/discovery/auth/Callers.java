package dev.windlass.discovery.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated caller of a gRPC call on the TLS port: every call must carry {@code authorization: Bearer
 * <token>}; a call without one, or with a token the apiserver refuses, is closed UNAUTHENTICATED before any
 * service sees it, and logged with its peer address (never the token).
 */
public final class Callers {
    /** The caller of the current call; unset on the plaintext port. */
    public static final Context.Key<Caller> CURRENT = Context.key("windlass-caller");
    private static final Logger LOG = LoggerFactory.getLogger(Callers.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private Callers() {
    }

    public static ServerInterceptor authenticating(TokenAuthenticator tokens) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String header = headers.get(AUTHORIZATION);
                try {
                    if (header == null || !header.startsWith(BEARER)) {
                        throw new TokenAuthenticator.Unauthenticated("no bearer token (authorization: Bearer <a "
                                + "ServiceAccount token for the audience windlass-ca>)");
                    }
                    Caller caller = tokens.authenticate(header.substring(BEARER.length()).trim());
                    return Contexts.interceptCall(Context.current().withValue(CURRENT, caller), call, headers, next);
                } catch (TokenAuthenticator.Unauthenticated e) {
                    LOG.warn("{} from {} refused: {}", call.getMethodDescriptor().getFullMethodName(),
                            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), e.getMessage());
                    call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
            }
        };
    }
}
