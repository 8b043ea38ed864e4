package dev.windlass.cli;

import dev.windlass.traffic.istio.analysis.Code;
import dev.windlass.traffic.istio.analysis.Finding;
import dev.windlass.traffic.istio.analysis.Level;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code windlass analyze} prints, as istioctl analyze prints it: the findings at or above the output
 * threshold on stdout, one log line each; on stderr either {@code ✔ No validation issues found when analyzing
 * <target>.} or, when a finding reaches the failure threshold, cobra's {@code Error: Analyzers found issues ...}
 * and the See-more line; exit code 79 in that case, else 0.
 */
record AnalyzeReport(List<String> out, List<String> err, int exitCode) {
    static final int EXIT_ISSUES = 79;

    /** @param target {@code namespace: <ns>} or {@code all namespaces}; @param files the files read, if any */
    static AnalyzeReport of(List<Finding> findings, String target, List<String> files, Level failureThreshold,
                            Level outputThreshold) {
        List<String> out = findings.stream().filter(f -> f.level().reaches(outputThreshold)).map(Finding::logLine).toList();
        boolean failed = findings.stream().anyMatch(f -> f.level().reaches(failureThreshold));
        List<String> err = new ArrayList<>();
        if (out.isEmpty()) {
            err.add("✔ No validation issues found when analyzing " + (files.isEmpty() ? target : String.join("\n", files)) + ".");
        }
        if (failed) {
            err.add("Error: Analyzers found issues when analyzing " + target + ".");
            err.add("See " + Code.DOCS + " for more information about causes and resolutions.");
        }
        return new AnalyzeReport(out, List.copyOf(err), failed ? EXIT_ISSUES : 0);
    }
}
