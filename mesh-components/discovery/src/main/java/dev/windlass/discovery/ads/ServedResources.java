package dev.windlass.discovery.ads;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.windlass.discovery.xds.ProxyResources;
import dev.windlass.discovery.xds.XdsType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One translation as the ADS streams send it, shared by every proxy of the same shape: per type and requested
 * names, the resources packed once and their version hashed once, instead of once per proxy and push.
 */
final class ServedResources {
    /** What one response carries: its version_info and resources. */
    record Packed(String version, List<Any> resources) {
    }

    private record Selection(XdsType type, Set<String> names) {
    }

    private final ProxyResources resources;
    private final Map<Selection, Packed> packed = new ConcurrentHashMap<>();

    ServedResources(ProxyResources resources) {
        this.resources = resources;
    }

    ProxyResources resources() {
        return resources;
    }

    /**
     * The resources of {@code type} named in {@code names} (unknown names skipped); all of them when {@code names}
     * is empty and the type is a wildcard one. {@code names} must not change afterwards (TypeState replaces it).
     */
    Packed select(XdsType type, Set<String> names) {
        return packed.computeIfAbsent(new Selection(type, names), this::pack);
    }

    private Packed pack(Selection selection) {
        SortedMap<String, ? extends Message> all = resources.of(selection.type());
        List<? extends Message> chosen = selection.names().isEmpty() && selection.type().wildcardWhenEmpty()
                ? List.copyOf(all.values())
                : selection.names().stream().filter(all::containsKey).map(all::get).toList();
        return new Packed(Versions.of(chosen), chosen.stream().map(Any::pack).toList());
    }
}
