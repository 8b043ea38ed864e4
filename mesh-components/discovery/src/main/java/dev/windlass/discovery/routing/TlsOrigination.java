package dev.windlass.discovery.routing;

import java.util.List;

/**
 * TLS the client's proxy originates to a destination: a DestinationRule's {@code tls} (Istio's ClientTLSSettings,
 * the modes Windlass implements). {@link #DISABLE} is a setting too, since it overrides a wider level's TLS.
 * {@code caCertificates} is a file in the proxy; null, with verification on, means the proxy's system trust (SIMPLE)
 * or the mesh's trust bundle (ISTIO_MUTUAL, which presents the proxy's workload certificate).
 */
public record TlsOrigination(Mode mode, String sni, String caCertificates, List<String> subjectAltNames,
                             boolean insecureSkipVerify) {
    public static final TlsOrigination DISABLE = new TlsOrigination(Mode.DISABLE, null, null, List.of(), false);

    public enum Mode { DISABLE, SIMPLE, ISTIO_MUTUAL }

    public TlsOrigination {
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}
