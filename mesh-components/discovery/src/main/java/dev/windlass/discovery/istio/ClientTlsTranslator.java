package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.TlsOrigination;
import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

/** A traffic-policy level's {@code tls} to the routing model (validation let DISABLE and SIMPLE through). */
final class ClientTlsTranslator {
    private ClientTlsTranslator() {
    }

    /** Null when the level says nothing; DISABLE is a setting (it overrides a wider level's SIMPLE). */
    static TlsOrigination origination(ClientTls tls) {
        if (tls == null) {
            return null;
        }
        if (!ClientTls.SIMPLE.equals(tls.modeOrDefault())) {
            return TlsOrigination.DISABLE;
        }
        return new TlsOrigination(true, tls.sni(), tls.caCertificates(), tls.subjectAltNames(), tls.skipsVerification());
    }
}
