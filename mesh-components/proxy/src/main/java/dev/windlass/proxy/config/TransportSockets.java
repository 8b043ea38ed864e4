package dev.windlass.proxy.config;

import dev.windlass.proxy.tls.ClientTls;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How a cluster's connections are made, per endpoint: Envoy's transport_socket_matches, tried in order against the
 * endpoint's transport socket match metadata (Windlass supports the {@code tlsMode} key Istio uses; an empty match
 * takes every endpoint), else the cluster's own transport_socket. A null ClientTls is plain text. Istio's
 * auto-mTLS is this: mesh mTLS to endpoints whose pod has a sidecar, plain text to the others (and to all, from a
 * proxy without a workload identity: see {@link ClientTls#compile}).
 */
public record TransportSockets(ClientTls fallback, List<Match> matches) {
    public static final TransportSockets PLAIN = new TransportSockets(null, List.of());

    /** One transport_socket_matches entry: endpoints of {@code tlsMode} (null: every endpoint) get {@code tls}. */
    public record Match(String name, String tlsMode, ClientTls tls) {
    }

    public TransportSockets {
        matches = List.copyOf(matches);
    }

    /** The credentials the proxy watches for these sockets (client certificates, Secrets' CAs), for the clean-up. */
    public Stream<CredentialRef> watchedCredentials() {
        return Stream.concat(Stream.of(fallback), matches.stream().map(Match::tls))
                .filter(Objects::nonNull).map(ClientTls::settings).filter(UpstreamTls::usesWatchedCredentials)
                .flatMap(tls -> Stream.of(tls.clientCertificate(), tls.trustedCa()))
                .filter(ref -> ref != null && !(ref instanceof CredentialRef.Workload));
    }

    /** The TLS origination for a connection to {@code endpoint} (null: an ORIGINAL_DST destination). */
    public ClientTls forEndpoint(UpstreamEndpoint endpoint) {
        String mode = endpoint == null ? null : endpoint.tlsMode();
        for (int i = 0; i < matches.size(); i++) {
            Match match = matches.get(i);
            if (match.tlsMode() == null || match.tlsMode().equals(mode)) {
                return match.tls();
            }
        }
        return fallback;
    }
}
