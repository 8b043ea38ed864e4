package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * One cluster's TLS origination, compiled once per cluster update: the client SslContext of its settings, the CA
 * file read then (Envoy reads a trusted_ca file when the cluster is loaded; an unreadable one refuses the update).
 * Shared by every connection to the cluster; a connection gets its own SslHandler, with the SNI.
 */
public final class ClientTls {
    private final UpstreamTls settings;
    private final SslContext context;

    private ClientTls(UpstreamTls settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    public static ClientTls compile(String where, UpstreamTls settings) throws InvalidConfigException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslContexts.provider(""))
                    // Names are checked by the trust manager, as Envoy checks them, not by HTTPS hostname rules.
                    .endpointIdentificationAlgorithm(null);
            if (settings.trust() == UpstreamTls.Trust.NONE) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                builder.trustManager(new ServerCertificateVerifier(settings.trust() == UpstreamTls.Trust.FILE
                        ? Pem.certificates(Files.readAllBytes(Path.of(settings.caFile())), settings.caFile()) : null,
                        settings.subjectAltNames(), settings.autoSanValidation()));
            }
            if (!settings.alpn().isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, settings.alpn()));
            }
            return new ClientTls(settings, builder.build());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidConfigException(where + ": cannot originate TLS: " + e.getMessage(), e);
        }
    }

    public UpstreamTls settings() {
        return settings;
    }

    /** The SNI of a connection for a request to {@code authority} (null for TCP): the fixed one, the host, or none. */
    public String sni(String authority) {
        if (settings.sni() != null || !settings.autoSni() || authority == null || authority.isEmpty()) {
            return settings.sni();
        }
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    }

    /** The TLS handler of a new upstream connection, sending {@code sni} when it is a host name. */
    public SslHandler newHandler(ByteBufAllocator alloc, String sni, int port) {
        return sni == null ? context.newHandler(alloc) : context.newHandler(alloc, sni, port);
    }
}
