package dev.windlass.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Follows the HTTP/2 frame boundaries in the bytes a connection reads, without consuming or copying them (nine
 * header bytes looked at per frame, payloads skipped), to tell whether a request head is on its way: the
 * connection preface, a frame header, or a header block (HEADERS and its CONTINUATION frames up to END_HEADERS).
 * Netty's codec shows neither partial frames nor a header block before it ends, which is all a slowloris client
 * sends. One per connection, used on its event loop.
 */
final class Http2HeaderBlocks {
    private static final int PREFACE = 24;
    private static final int FRAME_HEADER = 9;
    private static final int HEADERS = 1;
    private static final int CONTINUATION = 9;
    private static final int END_HEADERS = 0x4;

    private long position;
    /** Bytes of the current frame header read so far; 0 between frames. */
    private int headerRead;
    private int length;
    private int type;
    private int flags;
    private long payloadLeft;
    /** A header block goes on in a CONTINUATION frame still to come. */
    private boolean blockOpen;
    /** Where the preface, frame or header block being read began, counted in bytes from the connection's first. */
    private long unitStart;

    /** Scans what {@code in} holds, from its reader index; returns {@link #headOnItsWay()} at its end. */
    boolean scan(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            if (position < PREFACE || payloadLeft > 0) {
                int skipped = (int) Math.min(end - i, position < PREFACE ? PREFACE - position : payloadLeft);
                i += skipped;
                if (position >= PREFACE && (payloadLeft -= skipped) == 0) {
                    frameEnded();
                }
                position += skipped;
                continue;
            }
            frameHeaderByte(in.getUnsignedByte(i++));
            position++;
        }
        return headOnItsWay();
    }

    private void frameHeaderByte(int b) {
        if (headerRead == 0 && !blockOpen) {
            unitStart = position;
        }
        switch (headerRead++) {
            case 0, 1, 2 -> length = length << 8 | b;
            case 3 -> type = b;
            case 4 -> flags = b;
            default -> {
            }
        }
        if (headerRead == FRAME_HEADER) {
            headerRead = 0;
            payloadLeft = length;
            length = 0;
            if (payloadLeft == 0) {
                frameEnded();
            }
        }
    }

    private void frameEnded() {
        if (type == HEADERS || type == CONTINUATION) {
            blockOpen = (flags & END_HEADERS) == 0;
        }
    }

    /** Where what {@link #headOnItsWay()} speaks of began: a new value is a new head. */
    long unitStart() {
        return unitStart;
    }

    /** The preface, a frame header or a header block has begun and not ended. */
    boolean headOnItsWay() {
        return position < PREFACE || headerRead > 0 || blockOpen
                || payloadLeft > 0 && (type == HEADERS || type == CONTINUATION);
    }
}
