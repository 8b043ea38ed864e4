package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DownstreamTlsContext as the contract writes it, translated; and what Windlass refuses, by name. */
class TlsTranslatorTest {
    private static final ConfigSource ADS = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ADS).build();
    }

    private static DownstreamTls translate(DownstreamTlsContext tls) throws InvalidConfigException {
        return TlsTranslator.translate("listener l", TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(tls)).build());
    }

    private static CommonTlsContext.Builder credential(String name) {
        return CommonTlsContext.newBuilder().addTlsCertificateSdsSecretConfigs(sds("kubernetes://" + name));
    }

    @Test
    void credentialNameMutualAsIstioWritesIt() throws InvalidConfigException {
        DownstreamTls tls = translate(DownstreamTlsContext.newBuilder().setRequireClientCertificate(BoolValue.of(true))
                .setCommonTlsContext(credential("httpbin-credential").addAlpnProtocols("h2").addAlpnProtocols("http/1.1")
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                                .setValidationContextSdsSecretConfig(sds("kubernetes://httpbin-credential-cacert")))
                        .setTlsParams(TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                                .addCipherSuites("ECDHE-RSA-AES256-GCM-SHA384"))).build());

        assertThat(tls.certificate()).isEqualTo(new CredentialRef.Secret("httpbin-credential", false));
        assertThat(tls.trustedCa()).isEqualTo(new CredentialRef.Secret("httpbin-credential-cacert", true));
        assertThat(tls.requireClientCertificate()).isTrue();
        assertThat(tls.minVersion()).isEqualTo(DownstreamTls.TlsVersion.TLS_1_2);
        assertThat(tls.maxVersion()).isEqualTo(DownstreamTls.TlsVersion.TLS_1_3);
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
    }

    @Test
    void fileFormAndAValidationContextOverSds() throws InvalidConfigException {
        DownstreamTls tls = translate(DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                .addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setFilename("/etc/istio/ingressgateway-certs/tls.crt"))
                        .setPrivateKey(DataSource.newBuilder().setFilename("/etc/istio/ingressgateway-certs/tls.key")))
                .setValidationContextSdsSecretConfig(sds("kubernetes://ca"))).build());

        assertThat(tls.certificate()).isEqualTo(new CredentialRef.KeyPairFiles(
                "/etc/istio/ingressgateway-certs/tls.crt", "/etc/istio/ingressgateway-certs/tls.key"));
        assertThat(tls.trustedCa()).isEqualTo(new CredentialRef.Secret("ca", true));
        assertThat(tls.requireClientCertificate()).isFalse();
    }

    @Test
    void whatWindlassDoesNotImplementIsRefusedByName() {
        List<Object[]> cases = List.of(
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(credential("c"))
                        .setRequireSni(BoolValue.of(true)).build(), "DownstreamTlsContext.require_sni is not supported"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificates(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setInlineString("PEM"))
                                .setPrivateKey(DataSource.newBuilder().setInlineString("PEM")))).build(),
                        "certificate_chain must name a file"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(credential("a")
                        .addTlsCertificateSdsSecretConfigs(sds("kubernetes://b"))).build(), "2 certificates"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(sds("my-cert"))).build(), "SDS secret \"my-cert\""},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(sds("ROOTCA"))).build(), "SDS secret ROOTCA used as a certificate"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(credential("c").setTlsParams(
                        TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_0))).build(),
                        "TLS protocol version TLSv1_0 is not supported"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(credential("c").setTlsParams(
                        TlsParameters.newBuilder().addCipherSuites("NOT-A-CIPHER"))).build(), "unknown cipher suite NOT-A-CIPHER"},
                new Object[]{DownstreamTlsContext.newBuilder().setRequireClientCertificate(BoolValue.of(true))
                        .setCommonTlsContext(credential("c")).build(), "require_client_certificate without a trusted CA"},
                new Object[]{DownstreamTlsContext.newBuilder().setCommonTlsContext(credential("c").setValidationContext(
                        CertificateValidationContext.newBuilder().setTrustedCa(DataSource.newBuilder().setFilename("/ca"))
                                .setAllowExpiredCertificate(true))).build(),
                        "CertificateValidationContext.allow_expired_certificate is not supported"});
        for (Object[] c : cases) {
            assertThatThrownBy(() -> translate((DownstreamTlsContext) c[0])).as((String) c[1])
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining((String) c[1]);
        }
        assertThatThrownBy(() -> TlsTranslator.translate("listener l", TransportSocket.newBuilder()
                .setTypedConfig(Any.pack(UpstreamTlsContext.getDefaultInstance())).build()))
                .hasMessageContaining("only a DownstreamTlsContext");
    }
}
