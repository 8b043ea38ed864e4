package dev.windlass.proxy.config;

import dev.windlass.contract.MeshTls;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** UpstreamTlsContext as the discovery server writes it for a DestinationRule's tls, translated; the rest refused. */
class UpstreamTlsTranslatorTest {
    private static UpstreamTls translate(UpstreamTlsContext tls, UpstreamHttpProtocolOptions http) throws InvalidConfigException {
        return UpstreamTlsTranslator.translate("cluster c", TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(tls)).build(), http);
    }

    private static UpstreamTls translate(UpstreamTlsContext tls) throws InvalidConfigException {
        return translate(tls, UpstreamHttpProtocolOptions.getDefaultInstance());
    }

    private static UpstreamTlsContext.Builder validating(CertificateValidationContext.Builder validation) {
        UpstreamTlsContext.Builder tls = UpstreamTlsContext.newBuilder();
        tls.getCommonTlsContextBuilder().setValidationContext(validation);
        return tls;
    }

    @Test
    void sniCaFileNamesAndAlpnAreRead() throws Exception {
        UpstreamTlsContext.Builder tls = validating(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setFilename("/etc/certs/ca.pem"))
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.URI)
                        .setMatcher(StringMatcher.newBuilder().setExact("spiffe://cluster.local/ns/a/sa/b")))).setSni("db.example.com");
        tls.getCommonTlsContextBuilder().addAlpnProtocols("h2");

        UpstreamTls settings = translate(tls.build());

        assertThat(settings.sni()).isEqualTo("db.example.com");
        assertThat(settings.trust()).isEqualTo(UpstreamTls.Trust.FILE);
        assertThat(settings.trustedCa()).isEqualTo(new CredentialRef.CaFile("/etc/certs/ca.pem"));
        assertThat(settings.subjectAltNames()).singleElement()
                .satisfies(m -> assertThat(m.type()).isEqualTo(DownstreamTls.SanType.URI))
                .satisfies(m -> assertThat(m.match().matches("spiffe://cluster.local/ns/a/sa/b")).isTrue());
        assertThat(settings.alpn()).containsExactly("h2");
        assertThat(settings.autoSni()).isFalse();
    }

    @Test
    void autoSniAndSystemRootsAsIstioWritesTheEgressTask() throws Exception {
        UpstreamTls settings = translate(validating(CertificateValidationContext.newBuilder()
                        .setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance())).build(),
                UpstreamHttpProtocolOptions.newBuilder().setAutoSni(true).setAutoSanValidation(true).build());

        assertThat(settings).isEqualTo(new UpstreamTls(null, true, true, UpstreamTls.Trust.SYSTEM, null, List.of(), List.of()));
        assertThat(translate(UpstreamTlsContext.getDefaultInstance()).trust()).as("no validation context: no verification")
                .isEqualTo(UpstreamTls.Trust.NONE);
    }

    /** A DestinationRule's MUTUAL as the discovery server writes it: files, or a gateway's Secret and its CA. */
    @Test
    void aClientCertificateComesFromFilesOrASecret() throws Exception {
        UpstreamTlsContext.Builder files = validating(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setFilename("/etc/certs/ledger-ca.pem")));
        files.getCommonTlsContextBuilder().addTlsCertificates(TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setFilename("/etc/certs/client.pem"))
                .setPrivateKey(DataSource.newBuilder().setFilename("/etc/certs/client-key.pem")));
        UpstreamTls fromFiles = translate(files.build());
        assertThat(fromFiles.clientCertificate())
                .isEqualTo(new CredentialRef.KeyPairFiles("/etc/certs/client.pem", "/etc/certs/client-key.pem"));
        assertThat(fromFiles.usesWatchedCredentials()).isTrue();

        UpstreamTlsContext.Builder secret = UpstreamTlsContext.newBuilder().setSni("my-nginx.mesh-external.svc.cluster.local");
        secret.getCommonTlsContextBuilder().addTlsCertificateSdsSecretConfigs(sds("kubernetes://client-credential"))
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                        .setValidationContextSdsSecretConfig(sds("kubernetes://client-credential-cacert")));
        UpstreamTls fromSecret = translate(secret.build());
        assertThat(fromSecret.clientCertificate()).isEqualTo(new CredentialRef.Secret("client-credential", false));
        assertThat(fromSecret.trust()).isEqualTo(UpstreamTls.Trust.SECRET);
        assertThat(fromSecret.trustedCa()).isEqualTo(new CredentialRef.Secret("client-credential-cacert", true));

        UpstreamTlsContext.Builder mixed = validating(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setFilename("/etc/certs/ca.pem")));
        mixed.getCommonTlsContextBuilder().addTlsCertificateSdsSecretConfigs(sds(MeshTls.SDS_CERTIFICATE));
        assertThatThrownBy(() -> translate(mixed.build())).hasMessageContaining("go together");
    }

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name)
                .setSdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())).build();
    }

    @Test
    void whatWindlassDoesNotOriginateIsRefusedByName() {
        UpstreamTlsContext.Builder versions = UpstreamTlsContext.newBuilder();
        versions.getCommonTlsContextBuilder().setTlsParams(TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3));
        assertThatThrownBy(() -> translate(versions.build()))
                .hasMessageContaining("CommonTlsContext.tls_params is not supported by Windlass");
        assertThatThrownBy(() -> translate(UpstreamTlsContext.newBuilder().setAllowRenegotiation(true).build()))
                .hasMessageContaining("UpstreamTlsContext.allow_renegotiation is not supported by Windlass");
        assertThatThrownBy(() -> translate(validating(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setInlineString("-----BEGIN CERTIFICATE-----"))).build()))
                .hasMessageContaining("TLS material must name a file");
        assertThatThrownBy(() -> translate(UpstreamTlsContext.getDefaultInstance(),
                UpstreamHttpProtocolOptions.newBuilder().setAutoSni(true).setAutoSanValidation(true).build()))
                .hasMessageContaining("subject alt names checked without verifying the certificate");
        assertThatThrownBy(() -> translate(UpstreamTlsContext.getDefaultInstance(),
                UpstreamHttpProtocolOptions.newBuilder().setOverrideAutoSniHeader("x-sni").build()))
                .hasMessageContaining("override_auto_sni_header is not supported by Windlass");
    }
}
