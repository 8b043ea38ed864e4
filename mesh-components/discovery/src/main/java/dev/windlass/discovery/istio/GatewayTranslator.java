package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.GatewayConfig;
import dev.windlass.discovery.routing.GatewayServer;
import dev.windlass.traffic.istio.GatewayHosts;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.ServerProtocol;

import java.util.List;

/**
 * An Istio Gateway to the routing model's gateway configuration. Validation has refused what Windlass does not
 * implement, so each server is plain HTTP (HTTP, HTTP2, GRPC), HTTPS terminated (SIMPLE, MUTUAL), TLS passed
 * through (HTTPS or TLS with PASSTHROUGH) or TCP (TCP, and MONGO, MYSQL, REDIS, which Istio proxies as TCP too).
 * Hosts keep a namespace only where it narrows ({@code ./h} becomes the Gateway's namespace, {@code *}/h plain).
 */
public final class GatewayTranslator {
    private GatewayTranslator() {
    }

    public static GatewayConfig translate(IstioResource<GatewaySpec> gateway) {
        String key = gateway.key();
        List<GatewayServer> servers = gateway.spec().servers().stream().map(s -> new GatewayServer(key,
                s.port().number(), s.port().name(), kind(s), GatewayHosts.normalize(s.hosts(), gateway.namespace()),
                tls(s.tls()), s.name())).toList();
        return new GatewayConfig(gateway.namespace(), gateway.name(), gateway.created(), gateway.spec().selector(), servers);
    }

    private static GatewayServer.Kind kind(GatewaySpec.Server server) {
        ServerProtocol protocol = server.protocol();
        if (protocol.isHttp()) {
            return GatewayServer.Kind.HTTP;
        }
        if (!protocol.isTls()) {
            return GatewayServer.Kind.TCP;
        }
        return server.tlsMode().equals(GatewaySpec.ServerTls.PASSTHROUGH) ? GatewayServer.Kind.TLS : GatewayServer.Kind.HTTPS;
    }

    private static GatewayServer.ServerTls tls(GatewaySpec.ServerTls tls) {
        if (tls == null) {
            return null;
        }
        return new GatewayServer.ServerTls(tls.redirectsToHttps(), GatewaySpec.ServerTls.MUTUAL.equals(tls.mode()),
                tls.credentialName(), tls.serverCertificate(), tls.privateKey(), tls.caCertificates(),
                tls.subjectAltNames(), tls.minProtocolVersion(), tls.maxProtocolVersion(),
                tls.cipherSuites().stream().distinct().toList());
    }
}
