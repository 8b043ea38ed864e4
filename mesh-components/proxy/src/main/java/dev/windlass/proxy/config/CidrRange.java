package dev.windlass.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address prefix of a filter chain match (IPv4 or IPv6), compared bit by bit. */
public record CidrRange(byte[] prefix, int length) {

    public static CidrRange of(String address, int length) throws InvalidConfigException {
        byte[] bytes;
        try {
            // Only literals: a name here would mean a DNS lookup on the config path.
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(address);
            }
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new InvalidConfigException("invalid prefix range address \"" + address + "\"");
        }
        if (length < 0 || length > bytes.length * 8) {
            throw new InvalidConfigException("invalid prefix length " + length + " for " + address);
        }
        return new CidrRange(bytes, length);
    }

    public boolean contains(InetAddress address) {
        byte[] other = address.getAddress();
        if (other.length != prefix.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (other[i] != prefix[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (other[full] & mask) == (prefix[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            return "?/" + length;
        }
    }
}
