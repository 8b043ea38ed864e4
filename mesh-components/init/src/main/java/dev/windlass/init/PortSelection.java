package dev.windlass.init;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** A selection of TCP ports: every port ({@code *}), or an explicit, possibly empty, sorted set. */
public record PortSelection(boolean all, SortedSet<Integer> ports) {

    public static final PortSelection ALL = new PortSelection(true, new TreeSet<>());
    public static final PortSelection NONE = new PortSelection(false, new TreeSet<>());

    public PortSelection {
        if (all && !ports.isEmpty()) {
            throw new IllegalArgumentException("'*' selects every port; it takes no list");
        }
        ports.forEach(PortSelection::checkPort);
        ports = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    }

    public static PortSelection of(Collection<Integer> ports) {
        return new PortSelection(false, new TreeSet<>(ports));
    }

    static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
    }

    @Override
    public String toString() {
        return all ? "*" : String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
