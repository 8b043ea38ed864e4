package dev.windlass.bench.report;

import dev.windlass.bench.Cmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The PNG: median fortio percentiles per topology at 1000 rps, 16 connections, as gnuplot clustered bars. */
final class Plot {
    private Plot() {
    }

    static void latency(DataPlaneData data, Path png, String title) throws Exception {
        StringBuilder rows = new StringBuilder("topology p50 p90 p99 p99.9\n");
        for (String topology : data.topologies()) {
            rows.append(topology);
            for (String p : List.of("p50", "p90", "p99", "p999")) {
                rows.append(' ').append(Stats.number(Stats.median(data.load(DataPlaneData.PRIMARY, topology, p)), 4));
            }
            rows.append('\n');
        }
        Path dat = Files.createTempFile("bench-latency", ".dat");
        Files.writeString(dat, rows);
        String script = """
                set terminal pngcairo size 900,480 font ",10"
                set output '%s'
                set title "%s"
                set ylabel "latency (ms), median of the repetitions"
                set style data histograms
                set style histogram clustered gap 1
                set style fill solid 0.85 border -1
                set key top left
                set grid ytics
                set yrange [0:*]
                plot '%s' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), \\
                     '' using 4 title columnheader(4), '' using 5 title columnheader(5)
                """.formatted(png, title.replace("\"", "'"), dat);
        Path gp = Files.createTempFile("bench-latency", ".gp");
        Files.writeString(gp, script);
        try {
            Cmd.run(List.of("gnuplot", gp.toString()));
        } finally {
            Files.deleteIfExists(dat);
            Files.deleteIfExists(gp);
        }
    }
}
