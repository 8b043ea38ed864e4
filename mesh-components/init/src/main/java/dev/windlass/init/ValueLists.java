package dev.windlass.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the comma-separated values of the traffic annotations. Items are trimmed and empty items are skipped, so
 * {@code "10.0.0.0/8, 192.168.0.0/16,"} is two ranges. {@code *} means "all" where allowed, and then stands alone.
 * Errors are {@link IllegalArgumentException}s whose message names the bad item; the caller adds the source.
 */
final class ValueLists {
    static final String WILDCARD = "*";

    private ValueLists() {
    }

    /** A list of IPv4 CIDRs; with {@code wildcardAllowed}, {@code *} gives {@link IpRanges#ALL}. */
    static IpRanges ipRanges(String value, boolean wildcardAllowed) {
        List<String> items = items(value);
        if (isWildcard(items, wildcardAllowed)) {
            return IpRanges.ALL;
        }
        List<Ipv4Cidr> cidrs = new ArrayList<>();
        for (String item : items) {
            try {
                cidrs.add(Ipv4Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + item + "' is " + e.getMessage());
            }
        }
        return IpRanges.of(cidrs);
    }

    /** A list of TCP ports 1 to 65535; with {@code wildcardAllowed}, {@code *} gives {@link PortSelection#ALL}. */
    static PortSelection ports(String value, boolean wildcardAllowed) {
        List<String> items = items(value);
        if (isWildcard(items, wildcardAllowed)) {
            return PortSelection.ALL;
        }
        List<Integer> ports = new ArrayList<>();
        for (String item : items) {
            ports.add(port(item));
        }
        return PortSelection.of(ports);
    }

    private static int port(String item) {
        if (item.isEmpty() || item.length() > 5 || !item.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + item + "' is not a port number");
        }
        int port = Integer.parseInt(item);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        return port;
    }

    private static boolean isWildcard(List<String> items, boolean wildcardAllowed) {
        if (!items.contains(WILDCARD)) {
            return false;
        }
        if (!wildcardAllowed) {
            throw new IllegalArgumentException("'*' is not allowed here (it would exclude everything)");
        }
        if (items.size() > 1) {
            throw new IllegalArgumentException("'*' means all and must be the only item");
        }
        return true;
    }

    private static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
