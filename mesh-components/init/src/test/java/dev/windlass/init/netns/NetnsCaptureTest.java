package dev.windlass.init.netns;

import dev.windlass.init.CaptureConfig;
import dev.windlass.init.Main;
import dev.windlass.init.NatRules;
import dev.windlass.init.TrafficSetting;
import dev.windlass.testsupport.netns.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real thing: the init program applies its rules in a fresh network namespace (the "pod"), and real TCP
 * connections show where they end up. A second namespace (the "peer", joined by a veth pair) plays the rest of the
 * cluster. Both namespaces are created here, with random names, and deleted in {@link #tearDown()} whatever happens;
 * no traffic leaves them. Runs only as root with {@code ip}, {@code iptables-restore}, {@code iptables-save} and
 * {@code setpriv} on PATH; otherwise every test is skipped with the reason.
 *
 * <p>Pod 10.250.1.1 listens on 8080 (the app), 9090 (the app, excluded with EXCLUDE_INBOUND_PORTS), 15001, 15006
 * and 15021; peer 10.250.1.2 listens on 8080. 10.250.0.0/24 is routed to the peer, where nobody answers for
 * 10.250.0.99. Every listener answers with {@code LABEL:PORT}, the port being the one that accepted.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NetnsCaptureTest {
    private static final String POD_IP = "10.250.1.1";
    private static final String PEER_IP = "10.250.1.2";
    private static final String NOBODY = "10.250.0.99";
    private static final String APP_UID = "1000";
    private static final String PROXY_ID = String.valueOf(CaptureConfig.PROXY_UID);
    private static final Map<String, String> INIT_ENV = Map.of("EXCLUDE_INBOUND_PORTS", "9090");
    private static final Duration SERVER_LIFETIME = Duration.ofMinutes(4);

    private static final List<String> namespaces = new ArrayList<>();
    private static final List<Process> servers = new ArrayList<>();
    private static Thread cleanupOnExit;
    private static String pod;
    private static String peer;
    private static Shell.Result initRun;
    private static String skipReason;

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    static void setUp() throws Exception {
        skipReason = missingPrerequisite();
        if (skipReason != null) {
            System.out.println("[netns] skipping NetnsCaptureTest: " + skipReason);
            return;
        }
        cleanupOnExit = new Thread(NetnsCaptureTest::tearDown, "netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        String suffix = Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
        pod = createNamespace("wl-pod-" + suffix);
        peer = pod == null ? null : createNamespace("wl-peer-" + suffix);
        if (skipReason != null) {
            return;
        }
        wireNamespaces();
        initRun = runInitProgram();
        System.out.println("[netns] windlass-init in " + pod + ": " + initRun);
        startServer(pod, "pod", 8080, 9090, 15001, 15006, 15021);
        startServer(peer, "peer", 8080);
    }

    /** Every test is skipped, with the reason, where namespaces cannot be made (not root, tools missing). */
    @BeforeEach
    void requirePrerequisites() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void tearDown() {
        synchronized (namespaces) {
            servers.forEach(Process::destroyForcibly);
            servers.clear();
            for (String namespace : namespaces) {
                Shell.Result deleted = Shell.run("ip", "netns", "del", namespace);
                System.out.println("[netns] deleted " + namespace + ": exit " + deleted.exitCode() + " " + deleted.stderr().strip());
            }
            namespaces.clear();
        }
        if (cleanupOnExit != null && Thread.currentThread() != cleanupOnExit) {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            cleanupOnExit = null;
        }
    }

    @Test
    void initProgramAppliedItsRulesInThePodNamespace() {
        assertThat(initRun.exitCode()).as(initRun.toString()).isEqualTo(Main.OK);
        CaptureConfig expected = CaptureConfig.defaults().withExcludeInboundPorts(Set.of(9090));
        assertThat(initRun.stdout()).isEqualTo(NatRules.of(expected).toRestoreInput());
        String saved = inNamespace(pod, "iptables-save", "-t", "nat").orFail().stdout();
        System.out.println("[netns] iptables-save -t nat in " + pod + ":\n" + saved);
        assertThat(saved).contains(":WINDLASS_INBOUND", ":WINDLASS_REDIRECT", ":WINDLASS_IN_REDIRECT", ":WINDLASS_OUTPUT",
                "-A PREROUTING -p tcp -j WINDLASS_INBOUND", "-A OUTPUT -p tcp -j WINDLASS_OUTPUT",
                "--to-ports 15001", "--to-ports 15006");
        for (String chain : NatRules.CHAINS) {
            assertThat(countLines(saved, "-A " + chain + " ")).as(chain)
                    .isEqualTo(countLines(initRun.stdout(), "-A " + chain + " "));
        }
    }

    @Test
    void outboundFromAnAppUidIsRedirectedTo15001() {
        Map<String, String> replies = probe(pod, asUser(APP_UID, APP_UID), NOBODY + ":80", PEER_IP + ":8080");
        assertThat(replies).containsEntry(NOBODY + ":80", "pod:15001").containsEntry(PEER_IP + ":8080", "pod:15001");
    }

    @Test
    void outboundFromTheProxyUidIsNotRedirected() {
        Map<String, String> replies = probe(pod, asUser(PROXY_ID, PROXY_ID), PEER_IP + ":8080");
        assertThat(replies).containsEntry(PEER_IP + ":8080", "peer:8080");
    }

    @Test
    void outboundFromTheProxyGidIsNotRedirected() {
        Map<String, String> replies = probe(pod, asUser(APP_UID, PROXY_ID), PEER_IP + ":8080");
        assertThat(replies).containsEntry(PEER_IP + ":8080", "peer:8080");
    }

    @Test
    void inboundOnAnyAppPortIsRedirectedTo15006() {
        Map<String, String> replies = probe(peer, List.of(), POD_IP + ":8080", POD_IP + ":9999");
        assertThat(replies).containsEntry(POD_IP + ":8080", "pod:15006").containsEntry(POD_IP + ":9999", "pod:15006");
    }

    @Test
    void inboundOnExcludedPortsIsNotRedirected() {
        Map<String, String> replies = probe(peer, List.of(), POD_IP + ":15021", POD_IP + ":9090");
        assertThat(replies).containsEntry(POD_IP + ":15021", "pod:15021").containsEntry(POD_IP + ":9090", "pod:9090");
    }

    @Test
    void appLoopbackTrafficIsNotCaptured() {
        Map<String, String> replies = probe(pod, asUser(APP_UID, APP_UID), "127.0.0.1:8080", POD_IP + ":8080");
        assertThat(replies).containsEntry("127.0.0.1:8080", "pod:8080").containsEntry(POD_IP + ":8080", "pod:8080");
    }

    @Test
    void proxyCallingThePodAddressGoesInboundButNotFrom127006OrTo127001() {
        Map<String, String> replies = probe(pod, asUser(PROXY_ID, PROXY_ID),
                POD_IP + ":8080", "127.0.0.6@" + POD_IP + ":8080", "127.0.0.1:8080");
        assertThat(replies).containsEntry(POD_IP + ":8080", "pod:15006")
                .containsEntry("127.0.0.6@" + POD_IP + ":8080", "pod:8080")
                .containsEntry("127.0.0.1:8080", "pod:8080");
    }

    @Test
    void conntrackKeepsTheOriginalDestination() {
        assumeTrue(Shell.onPath("conntrack"), "conntrack is not on PATH; original destinations not checked");
        probe(pod, asUser(APP_UID, APP_UID), NOBODY + ":81");
        probe(peer, List.of(), POD_IP + ":8081");
        String outbound = inNamespace(pod, "conntrack", "-L", "-p", "tcp", "--orig-dst", NOBODY, "--orig-port-dst", "81")
                .orFail().stdout();
        String inbound = inNamespace(pod, "conntrack", "-L", "-p", "tcp", "--orig-dst", POD_IP, "--orig-port-dst", "8081")
                .orFail().stdout();
        System.out.println("[netns] conntrack in " + pod + ":\n" + outbound + inbound);
        assertThat(outbound).contains("dst=" + NOBODY + " sport=").contains("dport=81 ").contains("sport=15001 ");
        assertThat(inbound).contains("dst=" + POD_IP + " sport=").contains("dport=8081 ").contains("sport=15006 ");
    }

    @Test
    void everyGoldenFileIsAcceptedByIptablesRestore() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden"))) {
            List<Path> goldens = files.sorted().toList();
            assertThat(goldens).isNotEmpty();
            for (Path golden : goldens) {
                Shell.Result test = Shell.run(List.of("ip", "netns", "exec", peer, "iptables-restore", "--test"),
                        Map.of(), Files.readString(golden), Shell.DEFAULT_TIMEOUT);
                assertThat(test.exitCode()).as(golden + ": " + test).isZero();
            }
            System.out.println("[netns] iptables-restore --test accepted " + goldens.size() + " golden files");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static String missingPrerequisite() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "network namespaces need Linux";
        }
        if (!isRoot()) {
            return "creating network namespaces needs root (uid 0)";
        }
        for (String tool : List.of("ip", "iptables-restore", "iptables-save", "setpriv")) {
            if (!Shell.onPath(tool)) {
                return tool + " is not on PATH";
            }
        }
        return null;
    }

    /** Creates the namespace and returns its name; or sets {@link #skipReason} and returns null if it cannot. */
    private static String createNamespace(String name) {
        Shell.Result added = Shell.run("ip", "netns", "add", name);
        if (!added.ok()) {
            skipReason = "cannot create a network namespace here: " + added.stderr().strip();
            System.out.println("[netns] skipping NetnsCaptureTest: " + skipReason);
            return null;
        }
        synchronized (namespaces) {
            namespaces.add(name);
        }
        return name;
    }

    private static void wireNamespaces() {
        inNamespace(pod, "ip", "link", "set", "lo", "up").orFail();
        inNamespace(peer, "ip", "link", "set", "lo", "up").orFail();
        inNamespace(pod, "ip", "link", "add", "wlpod0", "type", "veth", "peer", "name", "wlpeer0", "netns", peer).orFail();
        inNamespace(pod, "ip", "addr", "add", POD_IP + "/24", "dev", "wlpod0").orFail();
        inNamespace(pod, "ip", "link", "set", "wlpod0", "up").orFail();
        inNamespace(peer, "ip", "addr", "add", PEER_IP + "/24", "dev", "wlpeer0").orFail();
        inNamespace(peer, "ip", "link", "set", "wlpeer0", "up").orFail();
        inNamespace(pod, "ip", "route", "add", "10.250.0.0/24", "via", PEER_IP).orFail();
    }

    /** Runs the real Main, as a separate JVM, inside the pod namespace, with only INIT_ENV set. */
    private static Shell.Result runInitProgram() {
        Map<String, String> env = new HashMap<>();
        for (TrafficSetting setting : TrafficSetting.values()) {
            env.put(setting.envVar(), null);
        }
        env.putAll(INIT_ENV);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", pod));
        command.addAll(java(Main.class.getName()));
        return Shell.run(command, env, null, Duration.ofSeconds(60));
    }

    private static void startServer(String namespace, String label, Integer... ports) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(java(ProbeServer.class.getName(), label, String.valueOf(SERVER_LIFETIME.toSeconds())));
        Stream.of(ports).map(String::valueOf).forEach(command::add);
        File log = Path.of("target", "netns-" + label + "-server.log").toFile();
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log)).start();
        synchronized (namespaces) {
            servers.add(server);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
        if (!"ready".equals(first)) {
            throw new IllegalStateException(label + " server did not start (" + first + "); see " + log);
        }
    }

    /** Connects to each target from inside {@code namespace}, as the user {@code prefix} sets; target → reply. */
    private static Map<String, String> probe(String namespace, List<String> prefix, String... targets) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(prefix);
        command.addAll(java(ProbeClient.class.getName(), targets));
        Shell.Result result = Shell.run(command, Map.of(), null, Duration.ofSeconds(60)).orFail();
        System.out.println("[netns] in " + namespace + (prefix.isEmpty() ? " as root" : " " + prefix) + ":\n"
                + result.stdout().strip().indent(4).stripTrailing());
        Map<String, String> replies = new LinkedHashMap<>();
        result.stdout().lines().map(line -> line.split(" -> ", 2)).forEach(parts -> replies.put(parts[0], parts[1]));
        return replies;
    }

    private static List<String> asUser(String uid, String gid) {
        return List.of("setpriv", "--reuid", uid, "--regid", gid, "--clear-groups");
    }

    private static Shell.Result inNamespace(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full);
    }

    /** A command line that runs {@code mainClass} on this JVM, with only this module's classes on the class path. */
    private static List<String> java(String mainClass, String... args) {
        String classPath = codeSource(Main.class) + File.pathSeparator + codeSource(ProbeServer.class);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto", "-Xmx64m",
                "-Djava.net.preferIPv4Stack=true", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the classes of " + type, e);
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return "(read failed: " + e.getMessage() + ")";
        }
    }

    private static long countLines(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix)).count();
    }
}
