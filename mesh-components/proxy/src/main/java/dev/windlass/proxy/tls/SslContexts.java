package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.DownstreamTls;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds a chain's Netty SslContext from its settings and the current versions of its credentials. */
final class SslContexts {
    /** Envoy applies cipher_suites to TLS 1.2 only; TLS 1.3 keeps its suites, so they are added back. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private SslContexts() {
    }

    /**
     * {@code openssl} (BoringSSL through netty-tcnative), {@code jdk}, or empty: BoringSSL when its native library
     * loads, else the JDK's engine; the choice is logged.
     */
    static SslProvider provider(String setting) {
        String wanted = setting.toLowerCase(Locale.ROOT);
        if (wanted.equals("jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        if (wanted.equals("openssl")) {
            throw new IllegalArgumentException("PROXY_TLS_PROVIDER=openssl, but BoringSSL cannot be loaded: "
                    + OpenSsl.unavailabilityCause());
        }
        Log.info("tls: BoringSSL unavailable (" + OpenSsl.unavailabilityCause() + "); using the JDK's TLS engine");
        return SslProvider.JDK;
    }

    static SslContext build(DownstreamTls settings, Credential.KeyPair keyPair, Credential.Trust trust,
                            SslProvider provider) throws GeneralSecurityException, javax.net.ssl.SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(keyPair.key(), keyPair.chain())
                .sslProvider(provider).protocols(protocols(settings));
        if (!settings.cipherSuites().isEmpty()) {
            List<String> suites = new ArrayList<>(settings.cipherSuites());
            if (settings.maxVersion() == DownstreamTls.TlsVersion.TLS_1_3) {
                suites.addAll(TLS13_SUITES);
            }
            builder.ciphers(suites);
        }
        if (trust != null) {
            builder.trustManager(new SanTrustManager(trust.cas(), settings.subjectAltNames()))
                    .clientAuth(settings.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!settings.alpn().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, settings.alpn()));
        }
        return builder.build();
    }

    private static List<String> protocols(DownstreamTls settings) {
        List<String> protocols = new ArrayList<>();
        for (DownstreamTls.TlsVersion version : DownstreamTls.TlsVersion.values()) {
            if (version.compareTo(settings.minVersion()) >= 0 && version.compareTo(settings.maxVersion()) <= 0) {
                protocols.add(version.jdkName());
            }
        }
        return protocols;
    }
}
