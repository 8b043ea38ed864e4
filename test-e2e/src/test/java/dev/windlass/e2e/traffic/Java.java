package dev.windlass.e2e.traffic;

import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;

/** A command line that runs a main class of this test's class path in a fresh JVM. */
final class Java {
    private Java() {
    }

    static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(launcher());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** This JVM's java, quick-start flags and class path: everything before the main class. */
    static List<String> launcher() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"));
    }
}
