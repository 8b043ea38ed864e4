package dev.windlass.bench.ads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.bench.Settings;
import dev.windlass.bench.mesh.JavaCommand;
import dev.windlass.bench.mesh.MeshObjects;
import dev.windlass.bench.proc.ProcessTree;
import dev.windlass.contract.XdsTypeUrls;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.DiscoveryProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The discovery server under N simulated ADS sidecars (N from {@code BENCH_ADS_SIZES}), against a real apiserver
 * holding {@value #SERVICES} HTTP Services with {@value #ENDPOINTS} endpoints each. A fresh discovery server
 * process for every N, so that its memory before and after the connections compares like with like. Writes
 * {@code discovery.json}.
 */
public final class AdsLoadBench {
    static final int SERVICES = 20;
    static final int ENDPOINTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Settings settings;
    private MeshObjects objects;

    public AdsLoadBench(Settings settings) {
        this.settings = settings;
    }

    public void run() throws Exception {
        Path logDir = Files.createDirectories(settings.out().resolve("logs"));
        objects = new MeshObjects(ApiServer.client());
        objects.createNamespaces();
        for (int i = 0; i < SERVICES; i++) {
            objects.service("svc-" + i, 8080);
            objects.endpoints("svc-" + i, 8080, addresses(i, ENDPOINTS));
        }
        List<AdsResult> results = new ArrayList<>();
        for (int proxies : settings.adsSizes()) {
            try (DiscoveryProcess discovery = DiscoveryProcess.start(
                    JavaCommand.launcher(settings.java(), JavaCommand.DISCOVERY_FLAGS, settings.discoveryClasspath()),
                    ApiServer.kubeconfigFile(), MeshObjects.CONTROL_PLANE_NAMESPACE, logDir.resolve("discovery-" + proxies + ".log"))) {
                discovery.awaitReady(Duration.ofSeconds(120));
                Thread.sleep(3000); // past the first debounced snapshot; let the start-up garbage settle
                results.add(measure(proxies, discovery));
            }
        }
        Path file = settings.out().resolve("discovery.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
        log("wrote " + file);
    }

    private AdsResult measure(int proxies, DiscoveryProcess discovery) throws Exception {
        ProcessTree server = new ProcessTree("discovery", discovery.pid());
        double rssIdle = server.rssMiB();
        double cpuStart = server.cpuSeconds();
        try (AdsFleet fleet = new AdsFleet(proxies)) {
            long start = System.nanoTime();
            fleet.connect(discovery.xdsPort());
            boolean complete = fleet.awaitComplete(TIMEOUT);
            double firstMs = complete ? (System.nanoTime() - start) / 1e6 : -1;
            double connectCpu = server.cpuSeconds() - cpuStart;
            log(String.format("%d proxies: first full config for all after %.0f ms (%d incomplete), %.2f CPU s",
                    proxies, firstMs, fleet.incomplete(), connectCpu));
            Thread.sleep(2000);
            double rssConnected = server.rssMiB();
            double cpuPushStart = server.cpuSeconds();
            // Without a full config everywhere a push cannot be told apart from the first delivery: none measured.
            List<Double> endpointPushes = complete ? endpointPushes(fleet, proxies) : List.of();
            List<Double> servicePushes = complete ? List.of(servicePush(fleet, proxies)) : List.of();
            return new AdsResult(proxies, firstMs, fleet.incomplete(), connectCpu, rssIdle, rssConnected, endpointPushes,
                    servicePushes, server.cpuSeconds() - cpuPushStart, fleet.streamsEnded(), loadAverage());
        }
    }

    /** An EndpointSlice change (one more endpoint each time): until every proxy ACKed the new EDS version. */
    private List<Double> endpointPushes(AdsFleet fleet, int proxies) throws Exception {
        List<Double> pushes = new ArrayList<>();
        for (int i = 1; i <= settings.adsPushes(); i++) {
            PushWatch watch = fleet.watch(XdsTypeUrls.EDS);
            objects.endpoints("svc-0", 8080, addresses(0, ENDPOINTS + i));
            double ms = watch.awaitAll(TIMEOUT);
            log(String.format("%d proxies: EndpointSlice push %d ACKed by all after %.0f ms (%d missing)", proxies, i, ms,
                    watch.remaining()));
            pushes.add(ms);
            if (ms < 0) {
                break; // a timed-out push leaves the fleet mid-way: later ones would not be comparable
            }
            Thread.sleep(500);
        }
        objects.endpoints("svc-0", 8080, addresses(0, ENDPOINTS));
        Thread.sleep(1000);
        return pushes;
    }

    /** A new Service with its endpoints: until every proxy ACKed the new RDS version (the last type pushed). */
    private double servicePush(AdsFleet fleet, int proxies) throws Exception {
        String name = "svc-new-" + proxies;
        PushWatch watch = fleet.watch(XdsTypeUrls.RDS);
        objects.service(name, 8080);
        objects.endpoints(name, 8080, addresses(99, ENDPOINTS));
        double ms = watch.awaitAll(TIMEOUT);
        log(String.format("%d proxies: Service push ACKed by all after %.0f ms (%d missing)", proxies, ms, watch.remaining()));
        objects.deleteService(name);
        Thread.sleep(1000);
        return ms;
    }

    private static List<String> addresses(int service, int count) {
        return IntStream.range(0, count).mapToObj(i -> "10.253." + (100 + service) + "." + (i + 1)).toList();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void log(String message) {
        System.out.println("[discovery] " + message);
        System.out.flush();
    }
}
