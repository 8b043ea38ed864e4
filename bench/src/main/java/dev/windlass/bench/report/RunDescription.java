package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/** The lines that say which run a table comes from: date, commit, machine, load, settings. */
final class RunDescription {
    private RunDescription() {
    }

    static String of(JsonNode meta, Path run) {
        JsonNode machine = meta.path("machine");
        JsonNode versions = meta.path("versions");
        return "- **Command:** `bench/run " + meta.path("what").asText() + "`, " + meta.path("wallSeconds").asText()
                + " s wall time, " + meta.path("clusterLockWaitSeconds").asText("0") + " s of it waiting for the cluster "
                + "lock; results in `bench/results/" + run.getFileName() + "/`.\n"
                + "- **Date and commit:** " + meta.path("date").asText() + ", `" + meta.path("commit").asText() + "`"
                + (meta.path("uncommittedFiles").asInt() > 0 ? " plus uncommitted changes" : "") + ".\n"
                + "- **Machine:** " + machine.path("cpu").asText() + ", " + machine.path("cores").asText() + " cores, "
                + machine.path("memory").asText() + ", Linux " + machine.path("kernel").asText()
                + "; shared with other engineers' builds: load average " + meta.path("loadAtStart").asText()
                + " at the start, " + meta.path("loadAtEnd").asText() + " at the end (1, 5, 15 min; running/total tasks).\n"
                + "- **Software:** " + versions.path("java").asText() + " (the images' JRE) for the proxy and discovery server; "
                + "fortio " + versions.path("fortio").asText() + ", nginx " + versions.path("nginx").asText() + ", HAProxy "
                + versions.path("haproxy").asText() + ", wrk " + versions.path("wrk").asText() + ".\n";
    }

    static String shortly(JsonNode meta) {
        return meta.path("date").asText().substring(0, 10) + ", " + meta.path("commit").asText();
    }

    /** "From the run of DATE, commit C." for a part that may come from an earlier run. */
    static String source(Results.Part part) {
        return "From the run of " + part.meta().path("date").asText() + ", commit `" + part.meta().path("commit").asText()
                + "` (`bench/results/" + part.dir().getFileName() + "/`).";
    }
}
