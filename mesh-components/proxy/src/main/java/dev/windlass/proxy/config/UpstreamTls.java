package dev.windlass.proxy.config;

import dev.windlass.proxy.config.DownstreamTls.SanMatcher;

import java.util.List;

/**
 * A cluster's TLS origination (Envoy's UpstreamTlsContext with the cluster's auto SNI options), translated.
 * Compared by value.
 *
 * @param sni               the SNI to send; null: none, or the request's host with {@code autoSni}
 * @param autoSni           HTTP only: the SNI is the request's host (without port), Envoy's auto_sni
 * @param autoSanValidation the server certificate must carry the SNI as a DNS name (Envoy's auto_san_validation)
 * @param trust             what the server certificate is verified against
 * @param caFile            the PEM bundle of trusted CAs, with {@link Trust#FILE}
 * @param subjectAltNames   the server certificate must carry a SAN matching one of these; empty: any
 * @param alpn              protocols offered by ALPN; empty: none
 * @param workloadCertificate the proxy presents its workload certificate (SDS {@code default}): mesh mTLS
 */
public record UpstreamTls(String sni, boolean autoSni, boolean autoSanValidation, Trust trust, String caFile,
                          List<SanMatcher> subjectAltNames, List<String> alpn, boolean workloadCertificate) {

    public UpstreamTls {
        subjectAltNames = List.copyOf(subjectAltNames);
        alpn = List.copyOf(alpn);
    }

    public UpstreamTls(String sni, boolean autoSni, boolean autoSanValidation, Trust trust, String caFile,
                       List<SanMatcher> subjectAltNames, List<String> alpn) {
        this(sni, autoSni, autoSanValidation, trust, caFile, subjectAltNames, alpn, false);
    }

    /** Whether the proxy's workload certificate takes part (mesh mTLS): the context then follows its rotation. */
    public boolean usesWorkloadIdentity() {
        return workloadCertificate || trust == Trust.MESH;
    }

    /**
     * NONE: no validation context, so no verification (Envoy's behaviour; Istio's insecureSkipVerify). FILE: the
     * CAs of {@code caFile}. SYSTEM: Envoy's system_root_certs, which the Windlass proxy takes to be its JRE's
     * default trust store (the image has no other: it is FROM scratch with a jlink'd JRE). MESH: the mesh's trust
     * bundle (SDS {@code ROOTCA}), which the proxy holds itself.
     */
    public enum Trust { NONE, FILE, SYSTEM, MESH }
}
