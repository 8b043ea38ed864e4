package dev.windlass.discovery.istio;

import dev.windlass.discovery.security.MtlsMode;
import dev.windlass.discovery.security.PeerAuthentications;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.PeerAuthenticationSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** PeerAuthentications, validated, into the mesh's model of them; UNSET becomes null (inherit). */
final class PeerAuthenticationTranslator {
    private PeerAuthenticationTranslator() {
    }

    static PeerAuthentications translate(List<IstioResource<PeerAuthenticationSpec>> resources, String rootNamespace) {
        return new PeerAuthentications(resources.stream().map(PeerAuthenticationTranslator::policy).toList(), rootNamespace);
    }

    private static PeerAuthentications.Policy policy(IstioResource<PeerAuthenticationSpec> resource) {
        PeerAuthenticationSpec spec = resource.spec();
        Map<Integer, MtlsMode> ports = new HashMap<>();
        spec.portLevelMtls().forEach((port, mtls) -> ports.put(Integer.parseInt(port), mode(mtls.mode())));
        return new PeerAuthentications.Policy(resource.namespace(), resource.name(), resource.created(),
                spec.selectsWorkloads() ? spec.selector().matchLabels() : Map.of(), mode(spec.mode()), ports);
    }

    private static MtlsMode mode(String mode) {
        return mode == null || mode.equals(PeerAuthenticationSpec.UNSET) ? null : MtlsMode.valueOf(mode);
    }
}
