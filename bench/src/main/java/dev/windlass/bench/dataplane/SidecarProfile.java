package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A JFR recording (the JDK's {@code profile} settings, started with {@code jcmd JFR.start}) of each Windlass sidecar
 * during one extra 1000 requests/s, 16-connection load that is not counted among the measurements, and what it
 * shows: the hottest leaf packages and methods and, for each CPU sample, the first Windlass frame on its stack (which part of
 * the proxy the time is spent for).
 */
final class SidecarProfile {
    private static final int TOP = 12;

    /** One sidecar's samples: counts per leaf method and per first Windlass frame, most frequent first. */
    record Summary(String proxy, int samples, Map<String, Long> leafPackages, Map<String, Long> leafMethods,
                   Map<String, Long> windlassFrames) {
    }

    private SidecarProfile() {
    }

    static List<Summary> record(WindlassTopology windlass, LoadRunner runner, Path jdk, Path logDir, int seconds)
            throws Exception {
        List<ProcessTree> sidecars = windlass.proxies();
        List<Path> files = new ArrayList<>();
        for (ProcessTree sidecar : sidecars) {
            Path file = logDir.resolve("profile-" + sidecar.label().replace(' ', '-') + ".jfr");
            jcmd(jdk, sidecar, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
            files.add(file);
        }
        runner.measure(0, new LoadShape("profile", 1000, 16, seconds), windlass);
        List<Summary> summaries = new ArrayList<>();
        for (int i = 0; i < sidecars.size(); i++) {
            jcmd(jdk, sidecars.get(i), "JFR.stop", "name=bench");
            summaries.add(summarize(sidecars.get(i).label(), files.get(i)));
        }
        return summaries;
    }

    /** jcmd with the sidecar's GID: the JVM's attach listener only answers a caller with its own UID and GID. */
    private static void jcmd(Path jdk, ProcessTree sidecar, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("setpriv", "--regid", "1337", "--clear-groups",
                jdk.resolve("bin/jcmd").toString(), String.valueOf(sidecar.root().pid())));
        line.addAll(List.of(command));
        Cmd.run(line);
    }

    static Summary summarize(String proxy, Path file) throws Exception {
        List<List<String>> stacks = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                stacks.add(event.getStackTrace().getFrames().stream().map(SidecarProfile::name).toList());
            }
        }
        return new Summary(proxy, stacks.size(), top(stacks, stack -> packageOf(stack.getFirst())),
                top(stacks, stack -> stack.getFirst()),
                top(stacks, stack -> stack.stream().filter(f -> f.startsWith("dev.windlass.")).findFirst()
                        .orElse("(no Windlass frame: Netty or JDK only)")));
    }

    /** The package of a method, the class name left out. */
    private static String packageOf(String method) {
        String type = method.substring(0, method.lastIndexOf('.'));
        return type.substring(0, Math.max(0, type.lastIndexOf('.')));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Long> top(List<List<String>> stacks, Function<List<String>, String> key) {
        Map<String, Long> counts = stacks.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
