package dev.windlass.bench.mesh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for Windlass's programs with the JVM flags of their images (the poms' Jib entrypoints; the proxy's
 * come from the build, {@code Settings.proxyFlags}).
 */
public final class JavaCommand {
    /** The parent pom's entrypoint, with the discovery Deployment's 1 GiB memory limit standing in as MaxRAM. */
    public static final List<String> DISCOVERY_FLAGS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75",
            "-XX:MaxRAM=1g");

    private JavaCommand() {
    }

    public static List<String> of(Path java, List<String> flags, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(launcher(java, flags, classpath));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** The java launcher, its flags and {@code -cp}: everything before the main class. */
    public static List<String> launcher(Path java, List<String> flags, String classpath) {
        List<String> launcher = new ArrayList<>();
        launcher.add(java.toString());
        launcher.addAll(flags);
        launcher.addAll(List.of("-cp", classpath));
        return launcher;
    }
}
