package dev.windlass.testsupport.netns;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for tests, and the commands and processes run inside them. Everything created through one
 * instance is removed by {@link #cleanUp()}: processes first (they would keep a namespace's sockets open), then
 * the namespaces, which takes their veth ends and iptables rules with them. Processes log to
 * {@code target/netns-LABEL.log}. Commands run through {@link Shell}.
 */
public final class Netns {
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Why namespace tests cannot run here (not root, or a tool missing from PATH), or null when they can. */
    public static String missingPrerequisite(String... tools) {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
            if (!root) {
                return "not root";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status";
        }
        for (String tool : tools) {
            if (!Shell.onPath(tool)) {
                return tool + " is not on PATH";
            }
        }
        return null;
    }

    /** Creates a namespace with its loopback up. */
    public synchronized String create(String name) throws Exception {
        run(List.of("ip", "netns", "add", name), Map.of());
        namespaces.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /** Runs a command in a namespace and returns its standard output; fails on a non-zero exit. */
    public String exec(String namespace, String... command) throws Exception {
        return exec(namespace, Map.of(), command);
    }

    public String exec(String namespace, Map<String, String> env, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full, env);
    }

    /** Standard output then standard error; fails with both on a non-zero exit or after 60 s. */
    private static String run(List<String> command, Map<String, String> env) {
        return Shell.run(command, env, null, Duration.ofSeconds(60)).orFail().output();
    }

    /** Starts {@code prefix + java mainClass args} in a namespace; logs to target/netns-LABEL.log. */
    public synchronized Process start(String namespace, String label, List<String> prefix, Map<String, String> env,
                                      String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(prefix);
        command.addAll(java(mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(new File("target/netns-" + label + ".log")));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Waits for the process to print "ready" as its first line. */
    public static void awaitReadyLine(Process process, String label) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        if (!"ready".equals(line)) {
            throw new IllegalStateException(label + " did not start: " + line + "; see target/netns-" + label + ".log");
        }
    }

    private static List<String> java(String mainClass) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), mainClass);
    }

    /** Kills every process started here and deletes every namespace; reports, and carries on past, failures. */
    public synchronized void cleanUp() {
        processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        processes.clear();
        for (String namespace : namespaces) {
            try {
                run(List.of("ip", "netns", "del", namespace), Map.of());
            } catch (Exception e) {
                System.out.println("[netns] could not delete " + namespace + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }
}
