package dev.windlass.discovery;

import dev.windlass.contract.SpiffeId;
import dev.windlass.discovery.ads.TlsPort;
import dev.windlass.discovery.auth.Callers;
import dev.windlass.discovery.auth.TokenAuthenticator;
import dev.windlass.discovery.ca.MeshCa;
import dev.windlass.discovery.ca.CertificateService;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.ca.WorkloadIssuer;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The authenticated port (15012) as the discovery server runs it: TLS with a certificate the mesh CA issues for the
 * discovery Service (proxies trust the CA's roots), renewed at 80 % of {@code --serving-cert-ttl} and when the CA
 * changes, token
 * authentication on every call, ADS and the CA service.
 * Workload certificates last 24 h unless the proxy asks for less (Istio's default), and never more than 90 days.
 */
public final class SecureXds {
    static final Duration DEFAULT_WORKLOAD_VALIDITY = Duration.ofHours(24);
    static final Duration MAX_WORKLOAD_VALIDITY = Duration.ofDays(90);

    private SecureXds() {
    }

    /** {@code extraIps}: more IP SANs for the serving certificate (tests dial 127.0.0.1). */
    public static TlsPort port(DiscoveryConfig config, MeshCa ca, TokenAuthenticator tokens, List<String> extraIps) {
        ServingCertificates serving = ServingCertificates.start("xds-tls", ca, config.serviceNames(), extraIps,
                config.servingCertTtl());
        ca.onChange(changed -> serving.renewNow());
        SslContext tls;
        try {
            // The key manager, not a fixed key and chain: each new handshake gets the current certificate.
            tls = GrpcSslContexts.configure(SslContextBuilder.forServer(serving.keyManager()), SslProvider.JDK).build();
        } catch (SSLException e) {
            serving.close();
            throw new UncheckedIOException("cannot set up TLS on the xDS port: " + e.getMessage(), e);
        }
        WorkloadIssuer issuer = new WorkloadIssuer(ca, DEFAULT_WORKLOAD_VALIDITY, MAX_WORKLOAD_VALIDITY);
        return new TlsPort(new InetSocketAddress(config.bindAddress(), config.xdsTlsPort()), tls, serving,
                Callers.authenticating(tokens), List.of(CertificateService.of(issuer, SpiffeId.DEFAULT_TRUST_DOMAIN)));
    }
}
