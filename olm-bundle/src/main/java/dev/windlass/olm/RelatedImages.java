package dev.windlass.olm;

import dev.windlass.upgrade.MeshVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImageBuilder;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV's {@code relatedImages}: the operator image, then every image of every mesh version in the catalog
 * (each component of {@link MeshVersion.Images}, so that a new component is listed without a change here), once
 * each. Mirroring tools copy exactly these, which is what makes a disconnected install work.
 */
final class RelatedImages {
    private RelatedImages() {
    }

    static List<RelatedImage> of(BundleInputs inputs) {
        Map<String, String> byImage = new LinkedHashMap<>();
        byImage.put(inputs.operatorImage(), name("operator", inputs.operatorImage()));
        for (MeshVersion version : inputs.meshVersions()) {
            for (RecordComponent component : MeshVersion.Images.class.getRecordComponents()) {
                String image = image(version.images(), component);
                if (image != null) {
                    byImage.putIfAbsent(image, name(component.getName(), image));
                }
            }
        }
        return byImage.entrySet().stream().map(e -> new RelatedImageBuilder().withName(e.getValue()).withImage(e.getKey()).build()).toList();
    }

    /** The component and the image's tag: "discovery-0-2-0", "prometheus-v3-5-0". */
    private static String name(String component, String image) {
        int colon = image.lastIndexOf(':');
        return Names.dns(component + "-" + (colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest"));
    }

    private static String image(MeshVersion.Images images, RecordComponent component) {
        try {
            return (String) component.getAccessor().invoke(images);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + images, e);
        }
    }
}
