package dev.windlass.proxy.tls;

import java.security.GeneralSecurityException;

import static dev.windlass.caprotocol.Der.tlv;

/**
 * The few DER steps that wrap a PKCS#1 or SEC1 key into PKCS#8, which is all the JDK's KeyFactory reads: a
 * SEQUENCE of version 0, the algorithm identifier and the old key as an OCTET STRING.
 */
final class Der {
    private Der() {
    }

    static byte[] pkcs8(byte[] algorithmOid, byte[] parameters, byte[] key) {
        byte[] algorithm = tlv(0x30, algorithmOid, parameters);
        return tlv(0x30, new byte[]{0x02, 0x01, 0x00}, algorithm, tlv(0x04, key));
    }

    /** The named curve of a SEC1 ECPrivateKey: the OID inside its {@code [0] parameters}. */
    static byte[] sec1Curve(byte[] sec1) throws GeneralSecurityException {
        int[] outer = header(sec1, 0);
        int at = outer[0];
        int end = at + outer[1];
        while (at < end) {
            int[] element = header(sec1, at);
            if ((sec1[at] & 0xff) == 0xa0) {
                byte[] oid = new byte[element[1]];
                System.arraycopy(sec1, element[0], oid, 0, oid.length);
                return oid;
            }
            at = element[0] + element[1];
        }
        throw new GeneralSecurityException("EC private key without a named curve");
    }

    /** {contentOffset, contentLength} of the element whose tag is at {@code at}. */
    private static int[] header(byte[] der, int at) throws GeneralSecurityException {
        if (at + 2 > der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        int length = der[at + 1] & 0xff;
        int offset = at + 2;
        if (length > 0x80) {
            int bytes = length - 0x80;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[offset++] & 0xff);
            }
        }
        if (offset + length > der.length || length < 0) {
            throw new GeneralSecurityException("truncated DER");
        }
        return new int[]{offset, length};
    }
}
