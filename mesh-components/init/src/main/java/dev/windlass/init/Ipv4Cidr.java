package dev.windlass.init;

/**
 * An IPv4 range in CIDR notation, kept in canonical form: host bits are cleared, so {@code 10.1.2.3/8} is
 * {@code 10.0.0.0/8}. Ordered by network address (unsigned), then by prefix length, so that rule output is stable.
 *
 * @param network      the network address, host bits zero, as an unsigned 32-bit value in an int
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(int network, int prefixLength) implements Comparable<Ipv4Cidr> {

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0 to 32, got " + prefixLength);
        }
        network &= mask(prefixLength);
    }

    /**
     * Parses {@code a.b.c.d/n}. A bare address (no {@code /n}) is not a CIDR and is refused.
     *
     * @throws IllegalArgumentException whose message completes the sentence "'input' is ..."
     */
    public static Ipv4Cidr parse(String text) {
        if (text.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 range; only IPv4 ranges are supported so far");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (expected a.b.c.d/n)");
        }
        int address = parseAddress(text.substring(0, slash));
        int prefix = parseNumber(text.substring(slash + 1), 32, "prefix length");
        return new Ipv4Cidr(address, prefix);
    }

    /** True when this range lies inside 127.0.0.0/8. */
    public boolean isLoopback() {
        return prefixLength >= 8 && (network >>> 24) == 127;
    }

    @Override
    public int compareTo(Ipv4Cidr other) {
        int byNetwork = Integer.compareUnsigned(network, other.network);
        return byNetwork != 0 ? byNetwork : Integer.compare(prefixLength, other.prefixLength);
    }

    @Override
    public String toString() {
        return (network >>> 24) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "."
                + (network & 0xff) + "/" + prefixLength;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int parseAddress(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not a CIDR (expected a.b.c.d/n)");
        }
        int address = 0;
        for (String octet : octets) {
            address = (address << 8) | parseNumber(octet, 255, "address octet");
        }
        return address;
    }

    private static int parseNumber(String text, int max, String what) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a CIDR (" + what + " '" + text + "' is not a number)");
        }
        int value = Integer.parseInt(text);
        if (value > max) {
            throw new IllegalArgumentException("not a CIDR (" + what + " " + value + " is above " + max + ")");
        }
        return value;
    }
}
