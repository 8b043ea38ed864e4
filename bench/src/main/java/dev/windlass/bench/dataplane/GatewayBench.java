package dev.windlass.bench.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.bench.Cmd;
import dev.windlass.bench.Settings;
import dev.windlass.testsupport.tls.TestPki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 18's gateway benchmark: requests per second per gateway core, plain HTTP and TLS termination, for the
 * Windlass gateway (BoringSSL and the JDK's engine) and nginx side by side in one run. Each contender is its own
 * pod pair (wrk in the client pod; the gateway and the fortio server in the server pod); every load runs on each
 * in turn, the order rotating with the repetition. CPU is the gateway process tree's utime+stime during the load,
 * so requests / CPU-second is the rate one fully busy core would carry. Writes {@code gateway.json}.
 */
public final class GatewayBench {
    /** Plain HTTP and TLS over kept-alive connections, and TLS with a new connection (handshake) per request. */
    enum Load {
        HTTP_KEEPALIVE, TLS_KEEPALIVE, TLS_NEW_CONNECTION
    }

    public record Sample(int repeat, String gateway, Load load, LoadResult result, double proxyCpuSeconds,
                         double requestsPerCoreSecond) {
    }

    public record Results(String certificate, List<Sample> samples) {
    }

    private final Settings settings;
    private final Path logDir;

    public GatewayBench(Settings settings) {
        this.settings = settings;
        this.logDir = settings.out().resolve("logs");
    }

    public void run() throws Exception {
        Files.createDirectories(logDir);
        Path certificates = certificates();
        String runId = System.getProperty("bench.runId", Long.toHexString(System.nanoTime() & 0xffff));
        List<GatewayTopology> gateways = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(gateways).forEach(Topology::close)));
        try {
            log("starting the gateways (namespaces wb-" + runId + "-g*, -h*, -i*)");
            gateways.add(new WindlassGateway(PodPair.create(runId, "g", 7), logDir, settings.java(),
                    settings.proxyClasspath(), settings.proxyFlags(), "openssl").start(settings.fortio(), certificates));
            gateways.add(new WindlassGateway(PodPair.create(runId, "h", 8), logDir, settings.java(),
                    settings.proxyClasspath(), settings.proxyFlags(), "jdk").start(settings.fortio(), certificates));
            gateways.add(new NginxGateway(PodPair.create(runId, "i", 9), logDir).start(settings.fortio(), certificates));
            Wrk wrk = new Wrk();
            for (GatewayTopology gateway : gateways) {
                for (Load load : Load.values()) {
                    measure(wrk, 0, gateway, load, settings.warmupSeconds());
                }
            }
            List<Sample> samples = new ArrayList<>();
            for (int repeat = 1; repeat <= settings.repeats(); repeat++) {
                for (Load load : Load.values()) {
                    for (int i = 0; i < gateways.size(); i++) {
                        samples.add(measure(wrk, repeat, gateways.get((i + repeat - 1) % gateways.size()), load,
                                settings.wrkSeconds()));
                    }
                }
            }
            Path file = settings.out().resolve("gateway.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(),
                    new Results("ECDSA P-256, TLS 1.3 (wrk's OpenSSL picks the suite)", samples));
            log("wrote " + file);
        } finally {
            gateways.forEach(Topology::close);
        }
    }

    private Sample measure(Wrk wrk, int repeat, GatewayTopology gateway, Load load, int seconds) throws Exception {
        String url = load == Load.HTTP_KEEPALIVE ? gateway.plainUrl() : gateway.tlsUrl();
        List<String> extra = load == Load.TLS_NEW_CONNECTION ? List.of("-H", "Connection: close") : List.of();
        double cpuBefore = gateway.proxy().cpuSeconds();
        LoadResult result = wrk.run(gateway.pods().client(), url, new LoadShape(load.name(), 0, 16, seconds), extra);
        double cpu = gateway.proxy().cpuSeconds() - cpuBefore;
        double perCore = cpu > 0 ? result.requests() / cpu : 0;
        if (repeat > 0) {
            log(String.format("repeat %d %-18s %-16s %8.0f rps, %8.0f per core-second, p99 %.2f ms, %d errors",
                    repeat, load, gateway.name(), result.rps(), perCore, result.p99(), result.errors()));
        }
        return new Sample(repeat, gateway.name(), load, result, cpu, perCore);
    }

    /** One ECDSA certificate for every contender, from a CA made for the run; readable by UID 1337. */
    private Path certificates() throws Exception {
        Path dir = Files.createDirectories(logDir.resolve("gateway-certs"));
        TestPki.Issued ca = TestPki.ca("bench gateway CA");
        TestPki.server(ca, "bench.example.com").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        Cmd.run(List.of("chown", "-R", "1337:1337", dir.toString()));
        return dir;
    }

    static void log(String message) {
        System.out.println("[gateway] " + message);
        System.out.flush();
    }
}
