package dev.windlass.olm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The file-based catalog (FBC) for the bundle: an {@code olm.package}, one {@code olm.channel} per channel the
 * release is published to, each with the release's {@code replaces} and {@code skipRange}, and the
 * {@code olm.bundle} as {@code opm render} writes it for the bundle image (properties {@code olm.package},
 * {@code olm.gvk} per served CRD version, {@code olm.bundle.object} per manifest file, as opm encodes them;
 * relatedImages). The validate script checks it against opm's own rendering of the bundle directory.
 */
final class Catalog {
    private static final String BUNDLE_OBJECT = "olm.bundle.object";

    private Catalog() {
    }

    record Icon(String base64data, String mediatype) {
    }

    record PackageBlob(String schema, String name, String defaultChannel, Icon icon, String description) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String name, String replaces, String skipRange) {
    }

    record ChannelBlob(String schema, String name, @JsonProperty("package") String packageName, List<Entry> entries) {
    }

    record Property(String type, Object value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RelatedImage(String name, String image) {
    }

    record BundleBlob(String schema, String name, @JsonProperty("package") String packageName, String image, List<Property> properties,
                      List<RelatedImage> relatedImages) {
    }

    static List<Object> blobs(BundleInputs inputs, BundleLayout layout) throws IOException {
        Release release = inputs.release();
        List<Object> blobs = new ArrayList<>();
        blobs.add(new PackageBlob("olm.package", inputs.packageName(), release.defaultChannel(),
                new Icon(CsvFactory.icon(), CsvFactory.ICON_MEDIA_TYPE), CsvText.SUMMARY));
        Entry entry = new Entry(inputs.csvName(), release.replaces(), release.skipRange());
        release.channels().stream().sorted()
                .forEach(channel -> blobs.add(new ChannelBlob("olm.channel", channel, inputs.packageName(), List.of(entry))));
        ClusterServiceVersion csv = layout.readCsv();
        blobs.add(new BundleBlob("olm.bundle", inputs.csvName(), inputs.packageName(), inputs.bundleImage(),
                properties(inputs, layout), relatedImages(inputs, csv)));
        return blobs;
    }

    static void write(BundleInputs inputs, BundleLayout layout) throws IOException {
        Files.createDirectories(layout.catalogFile().getParent());
        // Documents separated by "---", none before the first: opm reads a leading empty document as a blob with no schema.
        List<String> documents = blobs(inputs, layout).stream().map(Yaml::write).toList();
        Files.writeString(layout.catalogFile(), BundleWriter.HEADER + String.join("---\n", documents));
    }

    /** As opm orders them: by type, then by value; the bundle objects last. */
    private static List<Property> properties(BundleInputs inputs, BundleLayout layout) throws IOException {
        List<Property> properties = new ArrayList<>();
        properties.add(new Property("olm.package", Map.of("packageName", inputs.packageName(), "version", inputs.version())));
        for (CustomResourceDefinition crd : inputs.crds()) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(version.getServed())) {
                    properties.add(new Property("olm.gvk", Map.of("group", crd.getSpec().getGroup(),
                            "kind", crd.getSpec().getNames().getKind(), "version", version.getName())));
                }
            }
        }
        for (Path manifest : layout.manifestFiles()) {
            Object object = Yaml.MAPPER.readValue(manifest.toFile(), Object.class);
            properties.add(new Property(BUNDLE_OBJECT, Map.of("data", Base64.getEncoder().encodeToString(
                    GoJson.write(object).getBytes(StandardCharsets.UTF_8)))));
        }
        properties.sort(Comparator.comparing((Property p) -> p.type().equals(BUNDLE_OBJECT))
                .thenComparing(Property::type).thenComparing(p -> GoJson.write(p.value())));
        return properties;
    }

    /** The CSV's relatedImages, then the bundle image itself (with no name), as opm lists them for a bundle image. */
    private static List<RelatedImage> relatedImages(BundleInputs inputs, ClusterServiceVersion csv) {
        List<RelatedImage> images = new ArrayList<>(csv.getSpec().getRelatedImages().stream()
                .map(i -> new RelatedImage(i.getName(), i.getImage())).toList());
        images.add(new RelatedImage(null, inputs.bundleImage()));
        return images;
    }
}
