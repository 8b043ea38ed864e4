package dev.windlass.bench.operator;

import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's startup and memory (docs/benchmarks.md, "The operator on Quarkus"): a command line that starts
 * the operator is run {@code runs} times against a kube-api-test apiserver holding the mesh CRDs and no mesh, each
 * time with a fresh lease namespace (so that no earlier run's Lease holds it back). Measured: process start to the
 * first 200 of its readiness path, and its RSS then and after 10 s idle. One TSV line per run, then the medians.
 */
public final class OperatorStartupBench {
    private static final Duration IDLE = Duration.ofSeconds(10);

    private OperatorStartupBench() {
    }

    /** @param args RUNS READY_PATH COMMAND... (the command as the image runs it: java, flags, -jar or -cp) */
    public static void run(List<String> args) throws Exception {
        int runs = Integer.parseInt(args.get(0));
        String readyPath = args.get(1);
        List<String> command = args.subList(2, args.size());
        KubernetesClient client = ApiServer.client();
        ApiServer.installMeshCrd();
        Path kubeconfig = ApiServer.kubeconfigFile();
        List<double[]> results = new ArrayList<>();
        System.out.println("run\treadyMs\trssAtReadyMiB\trssIdleMiB");
        for (int run = 1; run <= runs; run++) {
            String namespace = "startup-" + System.nanoTime();
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
            long start = System.nanoTime();
            try (OperatorProcess operator = OperatorProcess.start(command, kubeconfig, namespace, "bench-" + run,
                    Files.createTempFile("operator-startup-", ".log"))) {
                operator.awaitStatus(readyPath, 200, Duration.ofSeconds(120));
                double readyMs = (System.nanoTime() - start) / 1e6;
                double rssReady = operator.rssKiB() / 1024.0;
                Thread.sleep(IDLE.toMillis());
                double[] result = {readyMs, rssReady, operator.rssKiB() / 1024.0};
                results.add(result);
                System.out.printf("%d\t%.0f\t%.1f\t%.1f%n", run, result[0], result[1], result[2]);
            }
        }
        System.out.printf("median\t%.0f\t%.1f\t%.1f%n", median(results, 0), median(results, 1), median(results, 2));
    }

    private static double median(List<double[]> results, int column) {
        double[] values = results.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
