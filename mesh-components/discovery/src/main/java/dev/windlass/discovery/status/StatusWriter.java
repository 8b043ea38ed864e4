package dev.windlass.discovery.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.kube.KubeWatcher;
import dev.windlass.discovery.model.ModelSource;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.analysis.AnalysisInput;
import dev.windlass.traffic.istio.analysis.Analyzer;
import dev.windlass.traffic.istio.analysis.Finding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the analysis of the traffic API to each VirtualService's and DestinationRule's status subresource, on
 * its own thread and apart from the xDS push path: it polls the registry snapshot, runs when the analysis input
 * changed (debounced, see {@link RunSchedule}), and patches only the statuses that differ from what the
 * informers last saw, with server-side apply as field manager {@value #FIELD_MANAGER}, at most
 * {@code writesPerSecond}. Replicas share the field manager and ignore timestamps when comparing, so two
 * replicas that agree never rewrite each other. A failed write (RBAC, a deleted object, a conflict) is logged
 * and retried on a later run; nothing here throws into the caller.
 */
public final class StatusWriter implements AutoCloseable {
    public static final String FIELD_MANAGER = "windlass-discovery";
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often it looks, how it debounces, how fast it may write. */
    public record Settings(Duration poll, Duration quiet, Duration maxDelay, Duration minInterval, Duration resync,
                           Duration retry, int writesPerSecond, int writesPerRun) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5), 20, 200);
    }

    /** The objects as the informers last saw them, status included. */
    public interface Objects {
        Optional<GenericKubernetesResource> get(IstioKind kind, String namespace, String name);
    }

    private final KubernetesClient client;
    private final ModelSource model;
    private final Objects objects;
    private final Settings settings;
    private final RunSchedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "status-writer");
        t.setDaemon(true);
        return t;
    });

    private StatusWriter(KubernetesClient client, ModelSource model, Objects objects, Settings settings, Clock clock) {
        this.client = client;
        this.model = model;
        this.objects = objects;
        this.settings = settings;
        this.clock = clock;
        this.schedule = new RunSchedule(settings.quiet(), settings.maxDelay(), settings.minInterval(), settings.resync(),
                settings.retry());
    }

    /** Starts writing status for the resources {@code watcher} sees, with the default settings; returns at once. */
    public static StatusWriter start(KubernetesClient client, KubeWatcher watcher) {
        return start(client, watcher, watcher::istioObject, Settings.DEFAULTS);
    }

    public static StatusWriter start(KubernetesClient client, ModelSource model, Objects objects, Settings settings) {
        StatusWriter writer = new StatusWriter(client, model, objects, settings, Clock.systemUTC());
        writer.thread.scheduleWithFixedDelay(writer::tick, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void tick() {
        try {
            if (!model.synced()) {
                return; // a partial view would clear messages that still apply
            }
            long now = clock.millis();
            AnalysisInput input = SnapshotInput.of(model.snapshot());
            schedule.observe(input, now);
            if (schedule.due(now)) {
                schedule.ran(now, run(input));
            }
        } catch (RuntimeException e) {
            LOG.warn("status: analysis run failed, retrying later", e);
        }
    }

    /** One run: analyse, plan, write. Returns whether every planned write went through. */
    private boolean run(AnalysisInput input) {
        List<Finding> findings = Analyzer.analyze(input);
        List<StatusPlan.Write> writes = StatusPlan.writes(input, findings, this::currentStatus, clock.instant());
        Map<String, Integer> failures = new TreeMap<>();
        int done = 0;
        for (StatusPlan.Write write : writes) {
            if (done == settings.writesPerRun() || Thread.currentThread().isInterrupted()) {
                break;
            }
            if (done++ > 0 && !pause()) {
                break;
            }
            String failure = apply(write);
            if (failure != null) {
                failures.merge(failure, 1, Integer::sum);
            }
        }
        if (!failures.isEmpty()) {
            LOG.warn("status: {} of {} writes failed ({}), retrying in {}s", failures.values().stream().mapToInt(i -> i).sum(),
                    writes.size(), failures, settings.retry().toSeconds());
        } else if (!writes.isEmpty()) {
            LOG.debug("status: wrote {} of {} statuses ({} findings)", done, writes.size(), findings.size());
        }
        return failures.isEmpty() && done == writes.size();
    }

    private Optional<JsonNode> currentStatus(IstioKind kind, String namespace, String name) {
        return objects.get(kind, namespace, name).map(o -> {
            Object status = o.getAdditionalProperties().get("status");
            return status == null ? JSON.missingNode() : JSON.valueToTree(status);
        });
    }

    /** Server-side apply of the status; returns null when done (or moot), else a short reason for the summary log. */
    private String apply(StatusPlan.Write write) {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiVersion", write.kind().apiVersion()).put("kind", write.kind().kind());
        body.putObject("metadata").put("name", write.name()).put("namespace", write.namespace());
        body.set("status", write.status());
        PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(FIELD_MANAGER).withForce(true).build();
        try {
            client.genericKubernetesResources(write.kind().apiVersion(), write.kind().kind())
                    .inNamespace(write.namespace()).withName(write.name()).subresource("status").patch(apply, body.toString());
            return null;
        } catch (KubernetesClientException e) {
            LOG.debug("status: {} not written: {}", write.displayName(), e.getMessage());
            return switch (e.getCode()) {
                case 404 -> null; // deleted meanwhile: nothing left to write, and the informer will drop it
                case 403 -> "forbidden";
                case 409 -> "conflict";
                default -> "HTTP " + e.getCode();
            };
        }
    }

    /** The rate limit between two writes; false when interrupted (closing). */
    private boolean pause() {
        try {
            Thread.sleep(1000L / Math.max(1, settings.writesPerSecond()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the thread; a write in flight is abandoned (the next replica or start writes it). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("status: writer thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
