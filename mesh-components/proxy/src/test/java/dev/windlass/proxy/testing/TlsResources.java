package dev.windlass.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;

import java.nio.file.Path;
import java.util.List;

/** Gateway listeners with TLS, as the contract (issue 18) has the discovery server write them. */
public final class TlsResources {
    private TlsResources() {
    }

    /** A certificate and key from files (Istio's serverCertificate/privateKey). */
    public static CommonTlsContext.Builder fileCertificate(Path certificate, Path key) {
        return CommonTlsContext.newBuilder().addTlsCertificates(TlsCertificate.newBuilder()
                .setCertificateChain(file(certificate)).setPrivateKey(file(key)));
    }

    /** A certificate from SDS {@code kubernetes://<credentialName>} over ADS. */
    public static CommonTlsContext.Builder sdsCertificate(String credentialName) {
        return CommonTlsContext.newBuilder().addTlsCertificateSdsSecretConfigs(sds("kubernetes://" + credentialName));
    }

    public static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Resources.ads()).build();
    }

    public static DataSource file(Path path) {
        return DataSource.newBuilder().setFilename(path.toString()).build();
    }

    /** MUTUAL: clients must present a certificate chaining to the CA in {@code ca}. */
    public static CommonTlsContext.Builder trusting(CommonTlsContext.Builder common, Path ca) {
        return common.setValidationContext(CertificateValidationContext.newBuilder().setTrustedCa(file(ca)));
    }

    public static DownstreamTlsContext downstream(CommonTlsContext.Builder common, boolean requireClientCertificate) {
        DownstreamTlsContext.Builder tls = DownstreamTlsContext.newBuilder().setCommonTlsContext(common);
        if (requireClientCertificate) {
            tls.setRequireClientCertificate(BoolValue.of(true));
        }
        return tls.build();
    }

    public static TransportSocket socket(DownstreamTlsContext tls) {
        return TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls)).build();
    }

    /** An HTTPS chain: TLS termination, then the HTTP connection manager with routes {@code routeName}. */
    public static FilterChain httpsChain(String routeName, DownstreamTlsContext tls, String... serverNames) {
        return FilterChain.newBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(List.of(serverNames)))
                .setTransportSocket(socket(tls)).addFilters(Resources.hcm(routeName)).build();
    }

    /** A TLS passthrough chain: by SNI, no termination, tcp_proxy to {@code cluster}. */
    public static FilterChain passthroughChain(String serverName, String cluster) {
        return FilterChain.newBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(serverName)
                .setTransportProtocol("tls")).addFilters(Resources.tcpProxy(cluster)).build();
    }

    public static Listener listener(int port, List<FilterChain> chains) {
        return listener("127.0.0.1", port, chains);
    }

    public static Listener listener(String ip, int port, List<FilterChain> chains) {
        return Listener.newBuilder().setName("0.0.0.0_" + port).setAddress(Resources.address(ip, port))
                .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector"))
                .addAllFilterChains(chains).build();
    }
}
