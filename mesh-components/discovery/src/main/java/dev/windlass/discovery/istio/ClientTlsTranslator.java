package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.TlsOrigination;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

import java.util.HashMap;
import java.util.Map;

/** A traffic policy's {@code tls} and its port-level ones to the routing model (validation let DISABLE and SIMPLE through). */
final class ClientTlsTranslator {
    private ClientTlsTranslator() {
    }

    static TlsOrigination.Levels levels(DestinationRuleSpec.TrafficPolicy policy) {
        Map<Integer, TlsOrigination> ports = new HashMap<>();
        for (DestinationRuleSpec.PortPolicy port : policy.portLevelSettings()) {
            if (port.tls() != null && port.port() != null && port.port().number() != null) {
                ports.put(port.port().number(), origination(port.tls()));
            }
        }
        return new TlsOrigination.Levels(policy.tls() == null ? null : origination(policy.tls()), ports);
    }

    static TlsOrigination origination(ClientTls tls) {
        if (!ClientTls.SIMPLE.equals(tls.modeOrDefault())) {
            return TlsOrigination.DISABLE;
        }
        return new TlsOrigination(true, tls.sni(), tls.caCertificates(), tls.subjectAltNames(), tls.skipsVerification());
    }
}
