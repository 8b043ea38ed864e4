package dev.windlass.traffic.istio.analysis;

import java.util.Comparator;

/** The resource a finding is about: its kind ({@code VirtualService}), namespace and name. */
public record ResourceRef(String kind, String namespace, String name) implements Comparable<ResourceRef> {
    private static final Comparator<ResourceRef> ORDER = Comparator.comparing(ResourceRef::kind)
            .thenComparing(ResourceRef::namespace).thenComparing(ResourceRef::name);

    /** {@code VirtualService default/reviews}, as istioctl names a resource. */
    public String displayName() {
        return kind + " " + namespace + "/" + name;
    }

    @Override
    public int compareTo(ResourceRef other) {
        return ORDER.compare(this, other);
    }
}
