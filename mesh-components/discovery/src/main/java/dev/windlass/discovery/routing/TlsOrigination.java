package dev.windlass.discovery.routing;

import java.util.List;
import java.util.Map;

/**
 * TLS the client's proxy originates to a destination: a DestinationRule's {@code tls} (Istio's ClientTLSSettings,
 * the modes Windlass implements). {@link #DISABLE} is a setting too, since it overrides a SIMPLE one of a wider
 * level. {@code caCertificates} is a file in the proxy; null, with verification on, means the proxy's system trust.
 */
public record TlsOrigination(boolean simple, String sni, String caCertificates, List<String> subjectAltNames,
                             boolean insecureSkipVerify) {
    public static final TlsOrigination DISABLE = new TlsOrigination(false, null, null, List.of(), false);

    public TlsOrigination {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** The tls of one traffic-policy level and of its port-level settings; null where a level says nothing. */
    public record Levels(TlsOrigination all, Map<Integer, TlsOrigination> ports) {
        public static final Levels NONE = new Levels(null, Map.of());

        public Levels {
            ports = Map.copyOf(ports);
        }

        /** The port's own setting replaces the level's for that port. */
        public TlsOrigination at(int port) {
            TlsOrigination own = ports.get(port);
            return own != null ? own : all;
        }
    }
}
