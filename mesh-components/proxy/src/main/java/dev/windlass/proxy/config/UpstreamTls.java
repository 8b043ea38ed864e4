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
 * @param trustedCa         the trusted CAs: a PEM file with {@link Trust#FILE}, a Secret's CA with
 *                          {@link Trust#SECRET}; null otherwise
 * @param subjectAltNames   the server certificate must carry a SAN matching one of these; empty: any
 * @param alpn              protocols offered by ALPN; empty: none
 * @param clientCertificate what the proxy presents: its workload certificate (SDS {@code default}, mesh mTLS), a
 *                          certificate and key in files or a Secret (a DestinationRule's MUTUAL); null: none
 */
public record UpstreamTls(String sni, boolean autoSni, boolean autoSanValidation, Trust trust, CredentialRef trustedCa,
                          List<SanMatcher> subjectAltNames, List<String> alpn, CredentialRef clientCertificate) {

    public UpstreamTls {
        subjectAltNames = List.copyOf(subjectAltNames);
        alpn = List.copyOf(alpn);
    }

    public UpstreamTls(String sni, boolean autoSni, boolean autoSanValidation, Trust trust, CredentialRef trustedCa,
                       List<SanMatcher> subjectAltNames, List<String> alpn) {
        this(sni, autoSni, autoSanValidation, trust, trustedCa, subjectAltNames, alpn, null);
    }

    /** Whether the proxy's workload certificate takes part (mesh mTLS): the context then follows its rotation. */
    public boolean usesWorkloadIdentity() {
        return clientCertificate instanceof CredentialRef.Workload || trust == Trust.MESH;
    }

    /**
     * Whether credentials the proxy watches take part (a client certificate's files or Secret, a Secret's CA): the
     * context then follows their rotation.
     */
    public boolean usesWatchedCredentials() {
        return clientCertificate != null && !(clientCertificate instanceof CredentialRef.Workload) || trust == Trust.SECRET;
    }

    /**
     * NONE: no validation context, so no verification (Envoy's behaviour; Istio's insecureSkipVerify). FILE: the
     * CAs of {@code caFile}. SYSTEM: Envoy's system_root_certs, which the Windlass proxy takes to be its JRE's
     * default trust store (the image has no other: it is FROM scratch with a jlink'd JRE). MESH: the mesh's trust
     * bundle (SDS {@code ROOTCA}), which the proxy holds itself. SECRET: a Secret's CA (SDS
     * {@code kubernetes://<name>-cacert}), which a gateway reads itself.
     */
    public enum Trust { NONE, FILE, SYSTEM, MESH, SECRET }
}
