package dev.windlass.discovery.xds;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether an address lies in a CIDR block; IP literals only (never a DNS lookup). */
final class Cidrs {
    private Cidrs() {
    }

    static boolean contains(String cidr, String ip) {
        try {
            String[] parts = cidr.split("/", 2);
            byte[] network = literal(parts[0]);
            byte[] address = literal(ip);
            if (network.length != address.length) {
                return false;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            int shift = network.length * 8 - bits;
            return new BigInteger(1, network).shiftRight(shift).equals(new BigInteger(1, address).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static byte[] literal(String ip) throws UnknownHostException {
        if (!ip.matches("[0-9a-fA-F.:]+")) {
            throw new UnknownHostException(ip);
        }
        return InetAddress.getByName(ip).getAddress();
    }
}
