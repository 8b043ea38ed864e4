package dev.windlass.contract;

import java.util.List;

/** What the proxy image offers besides its entrypoint, for the injector to call. */
public final class ProxyImage {
    /**
     * Exits 0 once the proxy in the same container answers ready, non-zero after a timeout: the postStart hook of
     * holdApplicationUntilProxyStarts (Istio's {@code pilot-agent wait}). A java @argfile, since the image has no
     * shell; the proxy module's src/main/jib/app/wait.
     */
    public static final List<String> WAIT_COMMAND = List.of("/opt/java/bin/java", "@/app/wait");

    private ProxyImage() {
    }
}
