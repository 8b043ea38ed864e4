package dev.windlass.caprotocol;

import java.io.ByteArrayOutputStream;

/** Writing DER (X.690) by hand, for the few fixed structures the mesh builds without BouncyCastle. */
public final class Der {
    private Der() {
    }

    /** An element: tag, definite length, then the contents (concatenated). */
    public static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : contents) {
            body.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER element from its arcs. */
    public static byte[] oid(int... arcs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int groups = 1;
            for (int v = arc >> 7; v > 0; v >>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                body.write(((arc >> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, body.toByteArray());
    }
}
