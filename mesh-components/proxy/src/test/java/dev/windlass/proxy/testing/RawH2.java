package dev.windlass.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 frames written and read byte by byte on a plain socket, so a test can send what no well-behaved client
 * library would (floods, frames on closed streams, a corrupt preface) and see exactly what came back. The static
 * helpers build and read single frames; an instance is a bare h2c client with prior knowledge on that socket,
 * for tests that send whole requests: header blocks are HPACK-encoded by Netty without validation, so a request
 * may carry what a conforming client refuses to build (a NUL or CR in a value, connection-specific fields).
 */
public final class RawH2 implements AutoCloseable {
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    public static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

    /** One frame read back; for RST_STREAM and GOAWAY, {@link #errorCode()} reads its code. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public long errorCode() {
            int offset = type == GOAWAY ? 4 : 0;
            return ByteBuffer.wrap(payload, offset, 4).getInt() & 0xFFFFFFFFL;
        }
    }

    /** How a stream ended: a response (status and body), or a reset / GOAWAY with its HTTP/2 error code. */
    public record Answer(int status, String body, Long resetCode, Long goAwayCode) {
        public static final long PROTOCOL_ERROR = 0x1;

        public static Answer reset(long code) {
            return new Answer(0, "", code, null);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    /** The header block being read, until its END_HEADERS. */
    private final ByteArrayOutputStream pendingBlock = new ByteArrayOutputStream();
    private int nextStream = 1;

    /** A client on {@code socket}: sends the preface and an empty SETTINGS frame ({@link #start}). */
    public RawH2(Socket socket) throws IOException {
        this(socket, true);
    }

    private RawH2(Socket socket, boolean start) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        if (start) {
            start(socket);
        }
    }

    /** A client on a connection whose preface {@link #start} already sent. */
    public static RawH2 started(Socket socket) throws IOException {
        return new RawH2(socket, false);
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

    /** Lets the server send {@code increment} more bytes on the stream (0: on the connection). */
    public static byte[] windowUpdate(int streamId, int increment) {
        return frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    public static byte[] rstStream(int streamId, int errorCode) {
        return frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    /** The client preface and an empty SETTINGS frame (the server sends GOAWAY if SETTINGS does not follow). */
    public static void start(Socket socket) throws IOException {
        ByteArrayOutputStream opening = new ByteArrayOutputStream();
        opening.writeBytes(PREFACE);
        opening.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        socket.getOutputStream().write(opening.toByteArray());
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

    /** The frames that arrive until the connection closes. */
    public static List<Frame> readUntilClosed(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        List<Frame> frames = new ArrayList<>();
        for (Frame frame = read(in); frame != null; frame = read(in)) {
            frames.add(frame);
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

    /** Headers for a GET, with validation off: any name or value goes on the wire as given. */
    public static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority(authority).path(path);
    }

    /**
     * Sends {@code headers} on a new stream as a complete request (one HEADERS frame with END_STREAM: without it
     * the request is forwarded with a body still to come, and nothing answers until it ends) and reads until that
     * stream ends. The server's SETTINGS and PINGs are acknowledged meanwhile.
     */
    public Answer request(Http2Headers headers) throws IOException {
        int stream = nextStream;
        nextStream += 2;
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            out.write(frame(HEADERS, END_STREAM | END_HEADERS, stream, bytes));
        } catch (Http2Exception e) {
            throw new IOException(e);
        } finally {
            block.release();
        }
        return answer(stream);
    }

    private Answer answer(int stream) throws IOException {
        Integer status = null;
        StringBuilder body = new StringBuilder();
        while (true) {
            Frame frame = read(in);
            if (frame == null) {
                throw new EOFException("connection closed before stream " + stream + " ended");
            }
            int id = frame.streamId();
            switch (frame.type()) {
                case SETTINGS, PING -> acknowledge(frame);
                case GOAWAY -> {
                    return new Answer(0, "", null, frame.errorCode());
                }
                case RST_STREAM -> {
                    if (id == stream) {
                        return Answer.reset(frame.errorCode());
                    }
                }
                case HEADERS, CONTINUATION -> {
                    Http2Headers decoded = headerBlock(frame);
                    if (id == stream && decoded != null && decoded.status() != null) {
                        status = Integer.parseInt(decoded.status().toString());
                    }
                }
                case DATA -> {
                    if (id == stream) {
                        body.append(new String(frame.payload(), StandardCharsets.UTF_8));
                    }
                }
                default -> {
                }
            }
            if (id == stream && (frame.flags() & END_STREAM) != 0 && (frame.type() == HEADERS || frame.type() == DATA)) {
                return new Answer(status == null ? 0 : status, body.toString(), null, null);
            }
        }
    }

    /**
     * The header block that {@code frame} ends, decoded; null while it goes on. Every block is decoded, in order:
     * HPACK's dynamic table is the connection's.
     */
    private Http2Headers headerBlock(Frame frame) throws IOException {
        pendingBlock.writeBytes(frame.payload());
        if ((frame.flags() & END_HEADERS) == 0) {
            return null;
        }
        try {
            return decoder.decodeHeaders(frame.streamId(), Unpooled.wrappedBuffer(pendingBlock.toByteArray()));
        } catch (Http2Exception e) {
            throw new IOException(e);
        } finally {
            pendingBlock.reset();
        }
    }

    private void acknowledge(Frame frame) throws IOException {
        if ((frame.flags() & ACK) == 0) {
            out.write(frame(frame.type(), ACK, 0, frame.type() == PING ? frame.payload() : new byte[0]));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
