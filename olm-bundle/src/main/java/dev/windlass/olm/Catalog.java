package dev.windlass.olm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The file-based catalog (FBC) for the bundle: an {@code olm.package}, one {@code olm.channel} per channel the
 * release is published to, each with the release's {@code replaces} and {@code skipRange}, and the
 * {@code olm.bundle} as {@code opm render} writes it for the bundle image (properties {@code olm.package},
 * {@code olm.gvk} per served CRD version, {@code olm.bundle.object} per manifest; relatedImages).
 */
final class Catalog {
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

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

    record RelatedImage(String name, String image) {
    }

    record BundleBlob(String schema, String name, @JsonProperty("package") String packageName, String image, List<Property> properties,
                      List<RelatedImage> relatedImages) {
    }

    static List<Object> blobs(BundleInputs inputs, ClusterServiceVersion csv) {
        Release release = inputs.release();
        List<Object> blobs = new ArrayList<>();
        blobs.add(new PackageBlob("olm.package", inputs.packageName(), release.defaultChannel(),
                new Icon(CsvFactory.icon(), CsvFactory.ICON_MEDIA_TYPE), CsvText.SUMMARY));
        Entry entry = new Entry(inputs.csvName(), release.replaces(), release.skipRange());
        release.channels().stream().sorted()
                .forEach(channel -> blobs.add(new ChannelBlob("olm.channel", channel, inputs.packageName(), List.of(entry))));
        blobs.add(new BundleBlob("olm.bundle", inputs.csvName(), inputs.packageName(), inputs.bundleImage(),
                properties(inputs, csv), relatedImages(inputs, csv)));
        return blobs;
    }

    static void write(BundleInputs inputs, ClusterServiceVersion csv, BundleLayout layout) throws IOException {
        Files.createDirectories(layout.catalogFile().getParent());
        StringBuilder out = new StringBuilder(BundleWriter.HEADER);
        for (Object blob : blobs(inputs, csv)) {
            out.append("---\n").append(Yaml.write(blob));
        }
        Files.writeString(layout.catalogFile(), out.toString());
    }

    private static List<Property> properties(BundleInputs inputs, ClusterServiceVersion csv) {
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
        properties.add(bundleObject(csv));
        inputs.crds().forEach(crd -> properties.add(bundleObject(crd)));
        return properties;
    }

    private static Property bundleObject(HasMetadata object) {
        try {
            byte[] json = JSON.writeValueAsBytes(object);
            return new Property("olm.bundle.object", Map.of("data", Base64.getEncoder().encodeToString(json)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + object.getKind() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** The CSV's relatedImages, then the bundle image itself, as opm lists them. */
    private static List<RelatedImage> relatedImages(BundleInputs inputs, ClusterServiceVersion csv) {
        List<RelatedImage> images = new ArrayList<>(csv.getSpec().getRelatedImages().stream()
                .map(i -> new RelatedImage(i.getName(), i.getImage())).toList());
        images.add(new RelatedImage("bundle", inputs.bundleImage()));
        return images;
    }
}
