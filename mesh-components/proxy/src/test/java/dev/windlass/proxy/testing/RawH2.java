package dev.windlass.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 frames written and read byte by byte on a plain socket, so a test can send what no well-behaved client
 * library would (floods, frames on closed streams, a corrupt preface) and see exactly what came back.
 */
public final class RawH2 {
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    public static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, GOAWAY = 7;
    public static final int END_STREAM = 0x1, END_HEADERS = 0x4;

    /** One frame read back; for RST_STREAM and GOAWAY, {@link #errorCode()} reads its code. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public long errorCode() {
            int offset = type == GOAWAY ? 4 : 0;
            return ByteBuffer.wrap(payload, offset, 4).getInt() & 0xFFFFFFFFL;
        }
    }

    private RawH2() {
    }

    public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length).put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8))
                .put((byte) payload.length).put((byte) type).put((byte) flags).putInt(streamId).put(payload).array();
    }

    /** GET / for {@code authority}: static-table :method, :scheme and :path, a literal :authority (HPACK). */
    public static byte[] getHeaders(String authority) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(new byte[]{(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x01, (byte) authority.length()});
        block.writeBytes(authority.getBytes(StandardCharsets.US_ASCII));
        return block.toByteArray();
    }

    /**
     * A decompression bomb: {@code block}, then one header {@code x-bomb} of {@code size} bytes added to the HPACK
     * dynamic table, then {@code references} one-byte references to it; each decodes to the whole header again.
     */
    public static byte[] hpackBomb(byte[] block, int size, int references) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(block);
        out.write(0x40);
        out.write(6);
        out.writeBytes("x-bomb".getBytes(StandardCharsets.US_ASCII));
        writeInteger(out, size);
        out.writeBytes("b".repeat(size).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < references; i++) {
            out.write(0x80 | 62); // the newest dynamic table entry
        }
        return out.toByteArray();
    }

    /** An HPACK integer with a 7-bit prefix (RFC 7541 §5.1), the first byte's high bit clear (no Huffman). */
    private static void writeInteger(ByteArrayOutputStream out, int value) {
        if (value < 127) {
            out.write(value);
            return;
        }
        out.write(127);
        for (value -= 127; value >= 128; value >>>= 7) {
            out.write(value & 0x7F | 0x80);
        }
        out.write(value);
    }

    public static byte[] rstStream(int streamId, int errorCode) {
        return frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    /** The client preface and an empty SETTINGS frame. */
    public static void start(Socket socket) throws IOException {
        socket.getOutputStream().write(PREFACE);
        socket.getOutputStream().write(frame(SETTINGS, 0, 0, new byte[0]));
    }

    /** The frames that arrive until the connection closes or {@code quiet} passes without one. */
    public static List<Frame> readFor(Socket socket, Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        List<Frame> frames = new ArrayList<>();
        try {
            for (Frame frame = read(in); frame != null; frame = read(in)) {
                frames.add(frame);
            }
        } catch (SocketTimeoutException e) {
            // quiet for long enough: the connection stays open
        }
        return frames;
    }

    /** The next frame, or null at the end of the stream (or a reset connection). */
    public static Frame read(DataInputStream in) throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
            int length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | header[2] & 0xFF;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(header[3] & 0xFF, header[4] & 0xFF, ByteBuffer.wrap(header, 5, 4).getInt() & 0x7FFFFFFF, payload);
        } catch (java.io.EOFException | java.net.SocketException e) {
            return null;
        }
    }
}
