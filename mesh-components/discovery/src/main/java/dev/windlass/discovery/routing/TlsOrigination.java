package dev.windlass.discovery.routing;

import java.util.List;

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
}
