package dev.windlass.olm;

import dev.windlass.upgrade.MeshVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** The CSV's long description (Markdown, as OperatorHub shows it), from the profiles and the version catalog. */
final class CsvText {
    static final String SUMMARY = "A Java service mesh for Kubernetes: xDS discovery, Netty sidecars and gateways, "
            + "Istio's traffic API, installed and upgraded from one MeshControlPlane.";

    /** Markdown with three blanks: the newest mesh version, the profiles' table rows, the versions' table rows. */
    private static final String TEMPLATE = template();

    private CsvText() {
    }

    static String description(BundleInputs inputs) {
        return TEMPLATE.formatted(inputs.latestMeshVersion().version(), profiles(inputs), versions(inputs));
    }

    private static String template() {
        try (InputStream in = CsvText.class.getResourceAsStream("csv-description.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String profiles(BundleInputs inputs) {
        return inputs.profiles().stream().map(p -> "| `" + p.name() + "` | " + p.description() + " |")
                .collect(Collectors.joining("\n"));
    }

    private static String versions(BundleInputs inputs) {
        return inputs.meshVersions().stream().map(CsvText::versionRow).collect(Collectors.joining("\n"));
    }

    private static String versionRow(MeshVersion version) {
        return "| " + version.version() + " | " + version.upgradeableFrom() + " |";
    }
}
