package dev.windlass.proxy.net;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a filter chain can match on in a TLS ClientHello, read from the message's body (RFC 8446 4.1.2: version,
 * random, session id, cipher suites, compression methods, then extensions): the SNI host name (RFC 6066) and the
 * ALPN protocol names (RFC 7301). A malformed or truncated message reads as one with neither.
 */
record ClientHello(String serverName, List<String> alpn) {
    static final ClientHello NONE = new ClientHello(null, List.of());
    private static final int SERVER_NAME = 0;
    private static final int ALPN = 16;

    static ClientHello parse(ByteBuf body) {
        int at = body.readerIndex() + 2 + 32;
        int end = body.writerIndex();
        if (at + 1 > end) {
            return NONE;
        }
        at += 1 + body.getUnsignedByte(at);
        if (at + 2 > end) {
            return NONE;
        }
        at += 2 + body.getUnsignedShort(at);
        if (at + 1 > end) {
            return NONE;
        }
        at += 1 + body.getUnsignedByte(at);
        if (at + 2 > end) {
            return NONE;
        }
        int extensionsEnd = Math.min(end, at + 2 + body.getUnsignedShort(at));
        at += 2;
        String serverName = null;
        List<String> alpn = List.of();
        while (at + 4 <= extensionsEnd) {
            int type = body.getUnsignedShort(at);
            int length = body.getUnsignedShort(at + 2);
            at += 4;
            if (at + length > extensionsEnd) {
                break;
            }
            if (type == SERVER_NAME) {
                serverName = serverName(body, at, at + length);
            } else if (type == ALPN) {
                alpn = protocols(body, at, at + length);
            }
            at += length;
        }
        return new ClientHello(serverName, alpn);
    }

    /** The first host_name entry of the server_name_list. */
    private static String serverName(ByteBuf body, int at, int end) {
        at += 2;
        while (at + 3 <= end) {
            int type = body.getUnsignedByte(at);
            int length = body.getUnsignedShort(at + 1);
            at += 3;
            if (at + length > end) {
                return null;
            }
            if (type == 0) {
                return body.toString(at, length, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            }
            at += length;
        }
        return null;
    }

    private static List<String> protocols(ByteBuf body, int at, int end) {
        List<String> names = new ArrayList<>();
        at += 2;
        while (at + 1 <= end) {
            int length = body.getUnsignedByte(at++);
            if (at + length > end) {
                break;
            }
            names.add(body.toString(at, length, StandardCharsets.US_ASCII));
            at += length;
        }
        return List.copyOf(names);
    }
}
