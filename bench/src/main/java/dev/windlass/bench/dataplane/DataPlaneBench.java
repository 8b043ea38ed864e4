package dev.windlass.bench.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.bench.Settings;
import dev.windlass.bench.mesh.ControlPlane;
import dev.windlass.bench.mesh.JavaCommand;
import dev.windlass.bench.proc.ProcessTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-plane benchmark: the four topologies side by side in their own namespaces, all up at once; every load
 * shape run on each in turn (the order of topologies rotating with each repetition), so that the machine's
 * drifting load hits them alike. Writes {@code data-plane.json} into the output directory.
 */
public final class DataPlaneBench {
    private final Settings settings;
    private final Path logDir;
    private final List<Topology> topologies = new ArrayList<>();
    private final List<ControlPlane> controlPlanes = new ArrayList<>();

    public DataPlaneBench(Settings settings) {
        this.settings = settings;
        this.logDir = settings.out().resolve("logs");
    }

    public record Results(List<String> windlassExtraJvmFlags, String baselineCommit,
                          List<WindlassTopology.StartupSample> windlassStartup,
                          Map<String, Double> idleRssMiB,
                          List<Measurement> measurements, List<RapidResetBench.Sample> rapidReset,
                          List<SidecarProfile.Summary> windlassProfile) {
    }

    public void run() throws Exception {
        Files.createDirectories(logDir);
        Path rawDir = Files.createDirectories(settings.out().resolve("raw"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(topologies).forEach(Topology::close)));
        try (ControlPlane controlPlane = ControlPlane.start(settings.java(), settings.discoveryClasspath(), logDir)) {
            WindlassTopology windlass = startTopologies(controlPlane);
            log("Windlass sidecar start-up, " + settings.repeats() + " restarts");
            List<WindlassTopology.StartupSample> startup = windlass.measureStartup(settings.repeats());
            Map<String, Double> idle = idleRss();
            LoadRunner runner = new LoadRunner(settings.fortio(), rawDir);
            for (Topology topology : topologies) {
                log("warm-up " + topology.name() + " (" + settings.warmupSeconds() + " s)");
                runner.warmUp(topology, settings.warmupSeconds());
            }
            List<Measurement> measurements = measureAll(runner);
            log("rapid reset against the Windlass server sidecar, " + settings.secondarySeconds() + " s per load");
            var rapidReset = new RapidResetBench(settings.fortio(), rawDir, logDir, JavaCommand.launcher(settings.java(),
                    List.of("-Xmx256m"), System.getProperty("java.class.path")))
                    .measure(windlass, settings.repeats(), settings.secondarySeconds());
            List<SidecarProfile.Summary> profile = List.of();
            if (settings.profileSeconds() > 0) {
                log("JFR profile of the Windlass sidecars, " + settings.profileSeconds() + " s at 1000 rps (not counted)");
                profile = SidecarProfile.record(windlass, runner, Path.of(System.getProperty("java.home")), logDir,
                        settings.profileSeconds());
            }
            String baselineCommit = settings.baseline() == null ? null : settings.baseline().commit();
            write(new Results(settings.proxyExtraFlags(), baselineCommit, startup, idle, measurements, rapidReset, profile));
        } finally {
            topologies.forEach(Topology::close);
            controlPlanes.forEach(ControlPlane::close);
        }
    }

    private WindlassTopology startTopologies(ControlPlane controlPlane) throws Exception {
        String runId = System.getProperty("bench.runId", Long.toHexString(System.nanoTime() & 0xffff));
        List<String> init = JavaCommand.of(settings.java(), settings.proxyFlags(), settings.proxyClasspath(),
                "dev.windlass.proxy.Main", "init");
        log("starting the topologies (namespaces wb-" + runId + "-*)");
        topologies.add(DirectTopology.start(PodPair.create(runId, "a", 1), logDir, settings.fortio()));
        var launcher = new WindlassTopology.SidecarLauncher(settings.java(), settings.proxyClasspath(),
                settings.proxyFlags(), settings.proxyExtraFlags(), controlPlane);
        WindlassTopology windlass = WindlassTopology.start(PodPair.create(runId, "b", 2), logDir, settings.fortio(),
                init, launcher, WindlassTopology.Variant.PLAIN);
        topologies.add(windlass);
        if (settings.virtualServiceRoutes() > 0) {
            topologies.add(WindlassTopology.start(PodPair.create(runId, "e", 5), logDir, settings.fortio(), init, launcher,
                    WindlassTopology.Variant.routes(settings.virtualServiceRoutes())));
        }
        if (settings.destinationRule()) {
            topologies.add(WindlassTopology.start(PodPair.create(runId, "f", 6), logDir, settings.fortio(), init, launcher,
                    WindlassTopology.Variant.POLICIES));
        }
        if (settings.meshMtls()) {
            topologies.add(WindlassTopology.start(PodPair.create(runId, "g", 7), logDir, settings.fortio(), init, launcher,
                    WindlassTopology.Variant.MTLS));
        }
        if (settings.baseline() != null) {
            topologies.add(startBaseline(controlPlane, runId, init));
        }
        if (settings.ioUring()) {
            topologies.add(WindlassTopology.start(PodPair.create(runId, "j", 10), logDir, settings.fortio(), init, launcher,
                    WindlassTopology.Variant.IO_URING));
        }
        topologies.add(new NginxTopology(PodPair.create(runId, "c", 3), logDir).start(settings.fortio(), init));
        topologies.add(new HaproxyTopology(PodPair.create(runId, "d", 4), logDir).start(settings.fortio(), init));
        return windlass;
    }

    /** The plain pair on the baseline build's sidecars, served by the baseline build's own discovery server. */
    private WindlassTopology startBaseline(ControlPlane controlPlane, String runId, List<String> init) throws Exception {
        Settings.Baseline baseline = settings.baseline();
        log("the baseline pair: commit " + baseline.commit() + "'s sidecars and discovery server");
        ControlPlane baselineControlPlane = controlPlane.another(settings.java(), baseline.discoveryClasspath(), logDir, "baseline");
        controlPlanes.add(baselineControlPlane);
        var launcher = new WindlassTopology.SidecarLauncher(settings.java(), baseline.proxyClasspath(), baseline.proxyFlags(),
                settings.proxyExtraFlags(), baselineControlPlane);
        return WindlassTopology.start(PodPair.create(runId, "k", 11), logDir, settings.fortio(), init, launcher,
                WindlassTopology.Variant.BASELINE);
    }

    private Map<String, Double> idleRss() {
        Map<String, Double> idle = new LinkedHashMap<>();
        for (Topology topology : topologies) {
            for (ProcessTree proxy : topology.proxies()) {
                idle.put(proxy.label(), proxy.rssMiB());
            }
        }
        return idle;
    }

    private List<Measurement> measureAll(LoadRunner runner) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        for (int repeat = 1; repeat <= settings.repeats(); repeat++) {
            for (LoadShape shape : LoadShape.all(settings)) {
                for (int i = 0; i < topologies.size(); i++) {
                    Topology topology = topologies.get((i + repeat - 1) % topologies.size());
                    Measurement measurement = runner.measure(repeat, shape, topology);
                    log(String.format("repeat %d %-12s %-9s p50 %.3f p99 %.3f p99.9 %.3f ms, %.0f rps, %d errors",
                            repeat, shape.name(), topology.name(), measurement.load().p50(), measurement.load().p99(),
                            measurement.load().p999(), measurement.load().rps(), measurement.load().errors()));
                    measurements.add(measurement);
                }
            }
        }
        return measurements;
    }

    private void write(Results results) throws Exception {
        Path file = settings.out().resolve("data-plane.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
        log("wrote " + file);
    }

    static void log(String message) {
        System.out.println("[data-plane] " + message);
        System.out.flush();
    }
}
