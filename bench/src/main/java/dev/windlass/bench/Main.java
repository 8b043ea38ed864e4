package dev.windlass.bench;

import dev.windlass.bench.ads.AdsLoadBench;
import dev.windlass.bench.dataplane.DataPlaneBench;
import dev.windlass.bench.report.Report;

import java.nio.file.Path;

/**
 * The harness's Java side, called by {@code bench/run}: {@code data-plane} and {@code discovery} measure and write
 * JSON into {@code -Dbench.out}; {@code report RESULTS_DIR DOC} writes the tables and the plot into the doc.
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
            case "report" -> Report.write(Path.of(args[1]), Path.of(args[2]));
            default -> {
                System.err.println("usage: Main data-plane | discovery | report RESULTS_DIR DOC");
                System.exit(2);
            }
        }
    }
}
