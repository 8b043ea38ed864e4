package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.windlass.discovery.routing.GatewayServer;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * The TLS a gateway terminates for an HTTPS server, as Envoy's DownstreamTlsContext with Istio's names. A
 * {@code credentialName} is referenced by SDS name only ({@code kubernetes://<name>}, its CA
 * {@code kubernetes://<name>-cacert}): this server never sends key material, the gateway reads the Secret
 * itself. Files are referenced by path. Client names (MUTUAL) match exactly, as a DNS or a URI name; with a
 * Secret's CA they go in a combined validation context, since the CA itself comes by SDS.
 */
final class GatewayTls {
    static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    static final String SDS_PREFIX = "kubernetes://";
    static final String CA_SUFFIX = "-cacert";
    /** Istio's ALPN for HTTPS servers: HTTP/2 where the client offers it, else HTTP/1.1. */
    static final java.util.List<String> ALPN = java.util.List.of("h2", "http/1.1");

    private GatewayTls() {
    }

    static TransportSocket transportSocket(GatewayServer.ServerTls tls) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().addAllAlpnProtocols(ALPN);
        if (tls.credentialName() != null) {
            common.addTlsCertificateSdsSecretConfigs(sds(SDS_PREFIX + tls.credentialName()));
            if (tls.mutual()) {
                validationBySds(common, tls);
            }
        } else {
            common.addTlsCertificates(TlsCertificate.newBuilder().setCertificateChain(file(tls.serverCertificate()))
                    .setPrivateKey(file(tls.privateKey())));
            if (tls.mutual()) {
                common.setValidationContext(subjectAltNames(tls).setTrustedCa(file(tls.caCertificates())));
            }
        }
        TlsParameters params = params(tls);
        if (!params.equals(TlsParameters.getDefaultInstance())) {
            common.setTlsParams(params);
        }
        DownstreamTlsContext context = DownstreamTlsContext.newBuilder().setCommonTlsContext(common)
                .setRequireClientCertificate(BoolValue.of(tls.mutual())).build();
        return TransportSocket.newBuilder().setName(TRANSPORT_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    private static void validationBySds(CommonTlsContext.Builder common, GatewayServer.ServerTls tls) {
        SdsSecretConfig ca = sds(SDS_PREFIX + tls.credentialName() + CA_SUFFIX);
        if (tls.subjectAltNames().isEmpty()) {
            common.setValidationContextSdsSecretConfig(ca);
        } else {
            common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                    .setDefaultValidationContext(subjectAltNames(tls)).setValidationContextSdsSecretConfig(ca));
        }
    }

    private static CertificateValidationContext.Builder subjectAltNames(GatewayServer.ServerTls tls) {
        return exactNames(tls.subjectAltNames());
    }

    /** Each name as an exact DNS and an exact URI subject alt name: Istio's names do not say which they are. */
    static CertificateValidationContext.Builder exactNames(java.util.List<String> names) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
        for (String name : names) {
            for (SubjectAltNameMatcher.SanType type : new SubjectAltNameMatcher.SanType[] {
                    SubjectAltNameMatcher.SanType.DNS, SubjectAltNameMatcher.SanType.URI}) {
                validation.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(type)
                        .setMatcher(StringMatcher.newBuilder().setExact(name)));
            }
        }
        return validation;
    }

    private static TlsParameters params(GatewayServer.ServerTls tls) {
        TlsParameters.Builder params = TlsParameters.newBuilder().addAllCipherSuites(tls.cipherSuites());
        if (tls.minProtocolVersion() != null) {
            params.setTlsMinimumProtocolVersion(version(tls.minProtocolVersion()));
        }
        if (tls.maxProtocolVersion() != null) {
            params.setTlsMaximumProtocolVersion(version(tls.maxProtocolVersion()));
        }
        return params.build();
    }

    /** Istio's TLSV1_2 is Envoy's TLSv1_2 (the enums correspond one to one). */
    private static TlsParameters.TlsProtocol version(String istio) {
        return istio.equals("TLS_AUTO") ? TlsParameters.TlsProtocol.TLS_AUTO
                : TlsParameters.TlsProtocol.valueOf("TLSv" + istio.substring("TLSV".length()));
    }

    static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Envoy.ads()).build();
    }

    static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
