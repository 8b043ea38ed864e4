package dev.windlass.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and its descendants (nginx's workers under its master), read from
 * {@code /proc}: {@code stat} fields 14 and 15 (utime, stime, in clock ticks of 1/100 s) and {@code status}'s
 * VmRSS. RSS is summed over the processes, so pages that nginx's master and workers share count more than once.
 */
public record ProcessTree(String label, ProcessHandle root) {
    private static final double TICKS_PER_SECOND = 100.0;

    public ProcessTree(String label, long pid) {
        this(label, ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(label + ": no process " + pid)));
    }

    public List<Long> pids() {
        return Stream.concat(Stream.of(root), root.descendants()).map(ProcessHandle::pid).toList();
    }

    /** User plus system CPU seconds used so far by the tree's live processes. */
    public double cpuSeconds() {
        return pids().stream().mapToLong(ProcessTree::ticks).sum() / TICKS_PER_SECOND;
    }

    /** Resident set size of the tree, in MiB. */
    public double rssMiB() {
        return pids().stream().mapToLong(pid -> statusKiB(pid, "VmRSS:")).sum() / 1024.0;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of the whole line
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static long statusKiB(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}
