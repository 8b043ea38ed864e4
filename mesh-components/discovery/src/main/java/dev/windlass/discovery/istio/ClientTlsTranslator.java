package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.TlsOrigination;
import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

/** A traffic-policy level's {@code tls} to the routing model (validation checked each mode's fields). */
final class ClientTlsTranslator {
    private ClientTlsTranslator() {
    }

    /** Null when the level says nothing; DISABLE is a setting (it overrides a wider level's SIMPLE). */
    static TlsOrigination origination(ClientTls tls) {
        if (tls == null) {
            return null;
        }
        TlsOrigination.Mode mode = switch (tls.modeOrDefault()) {
            case ClientTls.SIMPLE -> TlsOrigination.Mode.SIMPLE;
            case ClientTls.MUTUAL -> TlsOrigination.Mode.MUTUAL;
            case ClientTls.ISTIO_MUTUAL -> TlsOrigination.Mode.ISTIO_MUTUAL;
            default -> TlsOrigination.Mode.DISABLE;
        };
        return mode == TlsOrigination.Mode.DISABLE ? TlsOrigination.DISABLE
                : new TlsOrigination(mode, tls.sni(), tls.caCertificates(), tls.subjectAltNames(), tls.skipsVerification(),
                        mode == TlsOrigination.Mode.MUTUAL ? new TlsOrigination.ClientCertificate(tls.clientCertificate(),
                                tls.privateKey(), tls.credentialName()) : null);
    }
}
