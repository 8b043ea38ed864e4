package dev.windlass.e2e.startup;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The workload of HoldApplicationE2ETest: a target Service, a CPU burner (not in the mesh), and caller pods whose app
 * container makes one HTTP call to the target as soon as it starts, with no retry, then exits with the result.
 */
final class CallerPods {
    static final String APP = "app";
    private static final String IMAGE = "windlass/bookinfo:0.2.0";
    private static final String TARGET_URL = "http://target.hold-start.svc.cluster.local/";

    /** The callers' target, started (and ready) before the burner: the pressure is for the callers alone. */
    static final String TARGET = """
            apiVersion: v1
            kind: Service
            metadata: {name: target}
            spec:
              selector: {app: target}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: target}
            spec:
              selector: {matchLabels: {app: target}}
              template:
                metadata: {labels: {app: target}}
                spec:
                  containers:
                  - {name: web, image: %1$s, imagePullPolicy: IfNotPresent, args: [web, target], env: [{name: PORT, value: "8080"}],
                     readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 2}}
            """.formatted(IMAGE);

    /**
     * The burner asks for a third of the node and spins two threads, so the starting pods contend for what is left.
     * The app asks for twice the proxy's CPU (the minimal profile's 50m), as an app commonly does.
     */
    static final String BURNER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: burner}
            spec:
              selector: {matchLabels: {app: burner}}
              template:
                metadata: {labels: {app: burner, sidecar.windlass.dev/inject: "false"}}
                spec:
                  containers:
                  - {name: burn, image: %1$s, imagePullPolicy: IfNotPresent, args: [burn, "2"], resources: {requests: {cpu: 600m}}}
            """.formatted(IMAGE);

    private CallerPods() {
    }

    /** What one caller's app did: its exit code and the status line it printed (none when the call failed). */
    record Outcome(String pod, int exitCode, String statusLine, Duration toExit) {
        boolean succeeded() {
            return exitCode == 0 && statusLine.equals("HTTP/1.1 200");
        }
    }

    static Pod pod(String name, Map<String, String> annotations) {
        Pod pod = Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: caller-%s, labels: {app: caller}}
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: %s
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [/opt/java/bin/java, "@/app/load", curl, -timeout, 10s, "%s"]
                    resources: {requests: {cpu: 100m}}
                """.formatted(name, APP, IMAGE, TARGET_URL), Pod.class);
        pod.getMetadata().setAnnotations(annotations);
        return pod;
    }

    /** Waits until the caller's app has exited (the proxy keeps running), and reads what it did. */
    static Outcome await(KubernetesClient client, Pod created) {
        var resource = client.pods().inNamespace(created.getMetadata().getNamespace()).withName(created.getMetadata().getName());
        Pod done = resource.waitUntilCondition(p -> terminated(p).isPresent(), 4, TimeUnit.MINUTES);
        ContainerStateTerminated exit = terminated(done).orElseThrow();
        String log = resource.inContainer(APP).getLog();
        String status = log.lines().filter(line -> line.startsWith("HTTP/")).findFirst().orElse("no response: " + firstLine(log));
        Duration toExit = Duration.between(Instant.parse(created.getMetadata().getCreationTimestamp()), Instant.parse(exit.getFinishedAt()));
        return new Outcome(created.getMetadata().getName(), exit.getExitCode(), status, toExit);
    }

    static String summary(List<Outcome> outcomes) {
        long ok = outcomes.stream().filter(Outcome::succeeded).count();
        double seconds = outcomes.stream().mapToLong(o -> o.toExit().toMillis()).average().orElse(0) / 1000;
        String failures = outcomes.stream().filter(o -> !o.succeeded()).map(Outcome::toString).collect(Collectors.joining("\n  "));
        return "%d of %d calls answered 200, %d failed; pod created to app exit %.1f s on average%s".formatted(ok, outcomes.size(),
                outcomes.size() - ok, seconds, failures.isEmpty() ? "" : "\n  " + failures);
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        List<ContainerStatus> statuses = pod == null || pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses == null ? Optional.empty() : statuses.stream().filter(s -> s.getName().equals(APP))
                .map(s -> s.getState() == null ? null : s.getState().getTerminated()).filter(t -> t != null).findFirst();
    }

    private static String firstLine(String log) {
        return log.lines().findFirst().orElse("(no output)");
    }
}
