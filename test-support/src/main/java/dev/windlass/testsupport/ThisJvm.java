package dev.windlass.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run a main class of the calling test's class path in a fresh JVM, started quickly. JDK only. */
public final class ThisJvm {
    private ThisJvm() {
    }

    public static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(launcher());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * This JVM's java, quick-start flags and class path: everything before the main class. Native access and
     * sun.misc.Unsafe are allowed, as bin/build-jre bakes into the images' JRE, so that Netty and protobuf start
     * without the JVM's warning lines (which a JSON log must not have).
     */
    public static List<String> launcher() {
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            launcher.add("--sun-misc-unsafe-memory-access=allow");
        }
        launcher.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return List.copyOf(launcher);
    }
}
