package dev.windlass.bench;

import dev.windlass.bench.ads.AdsLoadBench;
import dev.windlass.bench.dataplane.DataPlaneBench;
import dev.windlass.bench.dataplane.GatewayBench;
import dev.windlass.bench.operator.OperatorStartupBench;
import dev.windlass.bench.report.Report;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The harness's Java side, called by {@code bench/run}: {@code data-plane}, {@code gateway} and {@code discovery} measure and write
 * JSON into {@code -Dbench.out}; {@code report RESULTS_DIR DOC} writes the tables and the plot into the doc;
 * {@code operator-startup} times an operator command line from start to ready (see OperatorStartupBench).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // kube-api-test and grpc leave non-daemon threads behind
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        switch (command) {
            case "data-plane" -> new DataPlaneBench(Settings.fromSystemProperties()).run();
            case "discovery" -> new AdsLoadBench(Settings.fromSystemProperties()).run();
            case "gateway" -> new GatewayBench(Settings.fromSystemProperties()).run();
            case "report" -> Report.write(Path.of(args[1]), Path.of(args[2]));
            case "operator-startup" -> OperatorStartupBench.run(Arrays.asList(args).subList(1, args.length));
            default -> {
                System.err.println("usage: Main data-plane | gateway | discovery | report RESULTS_DIR DOC | operator-startup RUNS READY_PATH COMMAND...");
                System.exit(2);
            }
        }
    }
}
