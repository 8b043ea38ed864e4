package dev.windlass.discovery.routing;

import java.util.List;

/**
 * TLS the client's proxy originates to a destination: a DestinationRule's {@code tls} (Istio's ClientTLSSettings).
 * {@link #DISABLE} is a setting too, since it overrides a wider level's TLS. {@code caCertificates} is a file in the
 * proxy; null, with verification on, means the proxy's system trust (SIMPLE, MUTUAL) or the mesh's trust bundle
 * (ISTIO_MUTUAL, which presents the proxy's workload certificate). MUTUAL presents {@code clientCertificate} with
 * {@code privateKey} (files in the proxy) or, at gateways, the Secret {@code credentialName} (its CA too).
 */
public record TlsOrigination(Mode mode, String sni, String caCertificates, List<String> subjectAltNames,
                             boolean insecureSkipVerify, ClientCertificate clientCertificate) {
    public static final TlsOrigination DISABLE = new TlsOrigination(Mode.DISABLE, null, null, List.of(), false, null);

    public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

    /** MUTUAL's certificate: two files, or a Secret (then {@code certificateFile} and {@code keyFile} are null). */
    public record ClientCertificate(String certificateFile, String keyFile, String credentialName) {
    }

    public TlsOrigination {
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}
