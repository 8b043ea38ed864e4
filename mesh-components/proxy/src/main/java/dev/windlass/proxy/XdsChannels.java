package dev.windlass.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.MeshPorts;
import dev.windlass.proxy.net.Transport;
import io.envoyproxy.envoy.config.core.v3.Node;
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

    static ManagedChannel plaintext(ProxyOptions options, Transport transport, Executor executor) {
        return NettyChannelBuilder.forTarget(plaintextTarget(options.discoveryAddress()))
                .usePlaintext().eventLoopGroup(transport.group()).channelType(transport.socketChannel())
                .executor(executor).keepAliveTime(30, TimeUnit.SECONDS).maxInboundMessageSize(64 << 20).build();
    }

    /**
     * The injector hands out the TLS xDS address (port 15012); until the proxy speaks TLS to the discovery server,
     * it dials the plaintext port 15010 of the same host instead.
     */
    static String plaintextTarget(String address) {
        if (address.endsWith(TLS_PORT)) {
            String plaintext = address.substring(0, address.length() - TLS_PORT.length()) + PLAINTEXT_PORT;
            Log.warn("DISCOVERY_ADDRESS " + address + " is the TLS port; xDS over TLS is not implemented yet, dialing "
                    + plaintext);
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
