package dev.windlass.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.MeshPorts;
import dev.windlass.proxy.net.Transport;
import io.envoyproxy.envoy.config.core.v3.Node;
import dev.windlass.proxy.tls.TrustBundle;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The gRPC channel to the discovery server (on the proxy's own event loops), and the xDS node we present. */
public final class XdsChannels {
    private static final String TLS_PORT = ":" + MeshPorts.XDS_TLS;
    private static final String PLAINTEXT_PORT = ":" + MeshPorts.XDS_PLAINTEXT;

    private XdsChannels() {
    }

    /**
     * The channel to the discovery server: TLS trusting only the mesh CA, with the pod's token on every call, when
     * the proxy has the CA root; else plaintext (gateways outside the mesh namespace and pods injected by
     * {@code windlass kube-inject}, for now).
     */
    static ManagedChannel channel(ProxyOptions options, Transport transport, Executor executor, TrustBundle trust) {
        ProxyOptions.XdsAuth auth = options.xdsAuth();
        NettyChannelBuilder builder;
        if (auth.tls()) {
            Log.info("xDS over TLS to " + options.discoveryAddress() + ", authenticated by the token at " + auth.tokenFile());
            builder = XdsTls.secure(NettyChannelBuilder.forTarget(options.discoveryAddress()), auth, trust);
        } else {
            builder = NettyChannelBuilder.forTarget(plaintextTarget(options.discoveryAddress())).usePlaintext();
        }
        return builder.eventLoopGroup(transport.group()).channelType(transport.socketChannel())
                .executor(executor).keepAliveTime(30, TimeUnit.SECONDS).maxInboundMessageSize(64 << 20).build();
    }

    /**
     * Without the CA root the proxy cannot check the TLS port's certificate, so it dials the plaintext port 15010 of
     * the same host instead of the TLS address (15012) it was given; the discovery server opens that port only when
     * started with {@code --xds-port}, for debugging.
     */
    static String plaintextTarget(String address) {
        if (address.endsWith(TLS_PORT)) {
            String plaintext = address.substring(0, address.length() - TLS_PORT.length()) + PLAINTEXT_PORT;
            Log.warn("DISCOVERY_ADDRESS " + address + " is the TLS port but there is no CA root (" + dev.windlass.contract.EnvVars.CA_ROOT_CERT
                    + " or CA_ROOT_CERT_FILE) to check it with; dialing " + plaintext
                    + ", which the discovery server opens only when started with --xds-port");
            return plaintext;
        }
        return address;
    }

    /** The node this proxy presents to the discovery server (and shows in its bootstrap). */
    public static Node node(ProxyOptions options) {
        NodeIdentity id = options.identity();
        Map<String, String> metadata = new TreeMap<>(Map.of("NAMESPACE", id.namespace(), "NAME", id.podName(),
                "INSTANCE_IPS", id.ip(), "SERVICE_ACCOUNT", id.serviceAccount(), "WORKLOAD_NAME", id.workload(),
                "REVISION", id.revision(), "PROXY_TYPE", id.role().nodeType()));
        Struct.Builder struct = Struct.newBuilder();
        metadata.forEach((key, value) -> struct.putFields(key, Value.newBuilder().setStringValue(value).build()));
        return Node.newBuilder().setId(id.nodeId()).setCluster(id.workload() + "." + id.namespace())
                .setUserAgentName("windlass-proxy").setMetadata(struct).build();
    }
}
