package dev.windlass.contract;

import java.util.List;

/** What the proxy image offers besides its entrypoint, for the injector to call, and the containers made of it. */
public final class ProxyImage {
    /** The init container that writes the iptables rules (the image's {@code init} role). */
    public static final String INIT_CONTAINER = "windlass-init";
    /** The sidecar and gateway container (the image's {@code sidecar} and {@code router} roles). */
    public static final String PROXY_CONTAINER = "windlass-proxy";

    /**
     * Exits 0 once the proxy in the same container answers ready, non-zero after a timeout: the postStart hook of
     * holdApplicationUntilProxyStarts (Istio's {@code pilot-agent wait}). A java @argfile, since the image has no
     * shell; the proxy module's src/main/jib/app/wait.
     */
    public static final List<String> WAIT_COMMAND = List.of("/opt/java/bin/java", "@/app/wait");

    private ProxyImage() {
    }
}
