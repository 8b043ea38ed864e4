package dev.windlass.e2e;

import dev.windlass.e2e.cluster.TestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A mesh installed as a user installs one: {@code windlass install -f mcp.yaml --platform local}. */
public final class MeshInstall {
    private MeshInstall() {
    }

    /**
     * Fails the test unless the install succeeds.
     *
     * @param spec the MeshControlPlane's spec, as YAML lines
     */
    public static void install(TestCluster cluster, String name, String spec, String timeout) throws IOException, InterruptedException {
        Path mcp = Files.createTempFile("mcp-", ".yaml");
        Files.writeString(mcp, "apiVersion: mesh.windlass.dev/v1alpha1\nkind: MeshControlPlane\nmetadata: {name: " + name + "}\nspec:\n"
                + spec.indent(2));
        WindlassCli.Result result = WindlassCli.run(cluster, "install", "-f", mcp.toString(), "--platform", "local", "--timeout", timeout);
        if (result.code() != 0) {
            throw new AssertionError("windlass install exited with " + result.code() + "; its output:\n" + result.output() + result.errors());
        }
    }

    /** The demo profile without its add-ons, which most tests do not need and which take a minute to start. */
    public static void installDemo(TestCluster cluster, String name) throws IOException, InterruptedException {
        install(cluster, name, """
                version: "0.2.0"
                profile: demo
                addons: {prometheus: {enabled: false}, grafana: {enabled: false}, tracing: {enabled: false}, kiali: {enabled: false}}
                """, "300s");
    }

    /** Fails the class that left its mesh behind, rather than the next class that finds the namespace taken. */
    public static void purge(TestCluster cluster, String name, String timeout) throws IOException, InterruptedException {
        WindlassCli.Result result = WindlassCli.run(cluster, "uninstall", "--name", name, "--purge", "--timeout", timeout);
        if (result.code() != 0) {
            throw new AssertionError("windlass uninstall exited with " + result.code() + "; its output:\n" + result.output() + result.errors());
        }
    }
}
