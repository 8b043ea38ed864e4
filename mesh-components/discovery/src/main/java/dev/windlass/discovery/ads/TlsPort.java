package dev.windlass.discovery.ads;

import dev.windlass.discovery.ca.ServingCertificates;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The authenticated xDS port (15012): TLS with the discovery server's certificate, every call authenticated by
 * {@code authentication}, serving ADS and {@code services} (the CA). {@code tls} presents the current one of
 * {@code certificates}, whose renewals stop when the port closes.
 */
public record TlsPort(InetSocketAddress address, SslContext tls, ServingCertificates certificates,
                      ServerInterceptor authentication, List<ServerServiceDefinition> services) {
}
