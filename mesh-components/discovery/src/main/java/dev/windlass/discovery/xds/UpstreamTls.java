package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import dev.windlass.discovery.routing.TlsOrigination;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.List;

/**
 * A DestinationRule's SIMPLE or MUTUAL tls on a cluster, as Istio writes it: an UpstreamTlsContext transport socket with the
 * {@code sni}, and a validation context with the CA file ({@code trusted_ca}) or, without one, the system's trust
 * roots ({@code system_root_certs}: Istio verifies against the system roots since 1.20), and the subject alt
 * names as exact DNS and URI matchers; none with {@code insecureSkipVerify}. Without an {@code sni}, Istio's
 * auto SNI: the upstream HTTP options ask for the request's host as SNI and, when no names are given and
 * verification is on, for the certificate to be checked against it. An HTTP/2 cluster offers {@code h2} by ALPN.
 * MUTUAL adds the client certificate: its files ({@code tls_certificates}) or, at a gateway, the Secret by SDS name
 * ({@code kubernetes://<credentialName>}, its CA {@code kubernetes://<credentialName>-cacert} in a combined
 * validation context); a sidecar presents no Secret's certificate, as Istio's sidecars ignore {@code credentialName}
 * in a DestinationRule without a workload selector.
 * DISABLE leaves the cluster plain text. ISTIO_MUTUAL: the mesh's mTLS to every endpoint ({@link MeshMtls}), with
 * its {@code sni} and {@code subjectAltNames} when given, else Istio's SNI and the service's SPIFFE ids. Without a
 * tls setting, Istio's auto mTLS ({@link MeshMtls}).
 */
final class UpstreamTls {
    private static final List<String> ALPN_H2 = List.of("h2");

    private UpstreamTls() {
    }

    /**
     * {@code meshIdentities}: the SPIFFE ids mesh mTLS checks the server against (empty: any of the trust domain);
     * {@code gateway}: the proxy is a gateway, which reads Secrets of its namespace.
     */
    static Cluster.Builder apply(Cluster.Builder cluster, TlsOrigination tls, List<String> meshIdentities, boolean gateway) {
        if (tls == null) {
            return MeshMtls.auto(cluster, meshIdentities);
        }
        if (tls.mode() == TlsOrigination.Mode.ISTIO_MUTUAL) {
            return cluster.setTransportSocket(MeshMtls.upstream(tls.sni() != null ? tls.sni() : MeshMtls.sni(cluster.getName()),
                    tls.subjectAltNames().isEmpty() ? meshIdentities : tls.subjectAltNames()));
        }
        if (tls.mode() != TlsOrigination.Mode.SIMPLE && tls.mode() != TlsOrigination.Mode.MUTUAL) {
            return cluster;
        }
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder();
        CommonTlsContext.Builder common = context.getCommonTlsContextBuilder();
        if (tls.sni() != null) {
            context.setSni(tls.sni());
        }
        if (http2(cluster)) {
            common.addAllAlpnProtocols(ALPN_H2);
        }
        String credential = clientCertificate(common, tls.clientCertificate(), gateway);
        if (!tls.insecureSkipVerify()) {
            CertificateValidationContext.Builder validation = GatewayTls.exactNames(tls.subjectAltNames());
            if (credential != null) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(GatewayTls.sds(credential + GatewayTls.CA_SUFFIX)));
            } else if (tls.caCertificates() != null) {
                validation.setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates()));
            } else {
                validation.setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance());
            }
            if (credential == null) {
                common.setValidationContext(validation);
            }
        }
        cluster.setTransportSocket(TransportSocket.newBuilder().setName(GatewayTls.TRANSPORT_SOCKET)
                .setTypedConfig(Any.pack(context.build())));
        if (tls.sni() == null) {
            autoSni(cluster, tls.subjectAltNames().isEmpty() && !tls.insecureSkipVerify());
        }
        return cluster;
    }

    /** MUTUAL's certificate on {@code common}; the SDS name when it is a Secret's, whose CA then verifies the server. */
    private static String clientCertificate(CommonTlsContext.Builder common, TlsOrigination.ClientCertificate client,
                                            boolean gateway) {
        if (client == null) {
            return null;
        }
        if (client.certificateFile() != null) {
            common.addTlsCertificates(TlsCertificate.newBuilder().setCertificateChain(GatewayTls.file(client.certificateFile()))
                    .setPrivateKey(GatewayTls.file(client.keyFile())));
            return null;
        }
        if (!gateway) {
            return null;
        }
        String name = GatewayTls.SDS_PREFIX + client.credentialName();
        common.addTlsCertificateSdsSecretConfigs(GatewayTls.sds(name));
        return name;
    }

    private static void autoSni(Cluster.Builder cluster, boolean autoSanValidation) {
        HttpProtocolOptions.Builder options = ConnectionPools.httpOptions(cluster);
        UpstreamHttpProtocolOptions.Builder upstream = options.getUpstreamHttpProtocolOptionsBuilder().setAutoSni(true);
        if (autoSanValidation) {
            upstream.setAutoSanValidation(true);
        }
        cluster.putTypedExtensionProtocolOptions(ClusterBuilder.HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
    }

    private static boolean http2(Cluster.Builder cluster) {
        return ConnectionPools.httpOptions(cluster).getExplicitHttpConfig().hasHttp2ProtocolOptions();
    }
}
