package dev.windlass.e2e.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A pod's sidecar: the real {@code dev.windlass.proxy.Main sidecar} in the pod's namespace, with GID 1337 as the
 * injector runs it (the capture rules exempt that group; the UID stays root only so that it can read the class
 * path), configured through the environment the injector sets.
 */
record Sidecar(PodNetwork network, String namespace, String pod, String ip) {
    static final String DISCOVERY_ADDRESS = PodNetwork.NODE_IP + ":15010";

    void start() throws Exception {
        Map<String, String> env = Map.of("POD_NAME", pod, "POD_NAMESPACE", TrafficObjects.NAMESPACE, "INSTANCE_IP", ip,
                "DISCOVERY_ADDRESS", DISCOVERY_ADDRESS);
        network.start(namespace, "traffic-proxy-" + pod, List.of("setpriv", "--regid", "1337", "--clear-groups"), env,
                "dev.windlass.proxy.Main", "sidecar");
    }

    /** Polls {@code /healthz/ready} on 15021: 200 once the first full configuration is applied. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(pod + " sidecar not ready after " + timeout + "; see target/netns-traffic-proxy-" + pod + ".log");
    }

    boolean ready() throws Exception {
        return curl("-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:15021/healthz/ready").equals("200");
    }

    /** A page of the admin port (127.0.0.1:15000): /config_dump, /clusters, /stats. */
    String admin(String path) throws Exception {
        return curl("http://127.0.0.1:15000" + path);
    }

    String prometheus() throws Exception {
        return curl("http://127.0.0.1:15090/stats/prometheus");
    }

    /** curl inside this pod's namespace. */
    String curl(String... args) throws Exception {
        return network.curl(namespace, args);
    }
}
