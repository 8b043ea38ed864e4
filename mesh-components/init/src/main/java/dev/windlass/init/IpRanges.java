package dev.windlass.init;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A selection of outbound destinations: every address ({@code *}), or an explicit, possibly empty, list of ranges.
 * The list is kept sorted and without duplicates, so that equal selections render equal rules.
 */
public record IpRanges(boolean all, List<Ipv4Cidr> cidrs) {

    public static final IpRanges ALL = new IpRanges(true, List.of());
    public static final IpRanges NONE = new IpRanges(false, List.of());

    public IpRanges {
        if (all && !cidrs.isEmpty()) {
            throw new IllegalArgumentException("'*' selects every address; it takes no list");
        }
        cidrs = List.copyOf(new TreeSet<>(cidrs));
    }

    public static IpRanges of(Collection<Ipv4Cidr> cidrs) {
        return new IpRanges(false, List.copyOf(cidrs));
    }

    public boolean containsLoopback() {
        return cidrs.stream().anyMatch(Ipv4Cidr::isLoopback);
    }

    @Override
    public String toString() {
        return all ? "*" : String.join(",", cidrs.stream().map(Ipv4Cidr::toString).toList());
    }
}
