package dev.windlass.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare h2c client with prior knowledge on a blocking socket, so tests control every frame: header blocks are
 * HPACK-encoded by Netty without validation, so a request may carry what a conforming client refuses to build
 * (a NUL or CR in a value, connection-specific fields). Each request is one HEADERS frame with END_STREAM: without
 * it the request is forwarded with a body still to come, and nothing answers until it ends. The answer is the
 * stream's response, or its reset, or the connection's GOAWAY. The client's SETTINGS must follow the preface (the
 * server sends GOAWAY otherwise); its own SETTINGS and PINGs are acknowledged while reading.
 */
public final class RawHttp2 implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;

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
    private int nextStream = 1;

    /** Opens the connection: the preface, then an empty SETTINGS frame, in one write. */
    public RawHttp2(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        out.write(PREFACE);
        writeFrame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /** Headers for a GET, with validation off: any name or value goes on the wire as given. */
    public static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority(authority).path(path);
    }

    /** Sends {@code headers} on a new stream as a complete request and reads until that stream ends. */
    public Answer request(Http2Headers headers) throws IOException {
        int stream = nextStream;
        nextStream += 2;
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            writeFrame(HEADERS, END_STREAM | END_HEADERS, stream, bytes);
            out.flush();
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
        ByteBuf headerBlock = Unpooled.buffer();
        try {
            while (true) {
                int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int id = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    throw new EOFException("connection closed inside a frame");
                }
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            writeFrame(SETTINGS, ACK, 0, new byte[0]);
                            out.flush();
                        }
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            writeFrame(PING, ACK, 0, payload);
                            out.flush();
                        }
                    }
                    case GOAWAY -> {
                        return new Answer(0, "", null, unsigned(payload, 4));
                    }
                    case RST_STREAM -> {
                        if (id == stream) {
                            return Answer.reset(unsigned(payload, 0));
                        }
                    }
                    case HEADERS, CONTINUATION -> {
                        // Every header block is decoded, in order: HPACK's dynamic table is the connection's.
                        headerBlock.writeBytes(payload);
                        if ((flags & END_HEADERS) != 0) {
                            Http2Headers decoded = decode(id, headerBlock);
                            if (id == stream && decoded.status() != null) {
                                status = Integer.parseInt(decoded.status().toString());
                            }
                        }
                    }
                    case DATA -> {
                        if (id == stream) {
                            body.append(new String(payload, StandardCharsets.UTF_8));
                        }
                    }
                    default -> {
                    }
                }
                if (id == stream && (flags & END_STREAM) != 0 && (type == HEADERS || type == DATA)) {
                    return new Answer(status == null ? 0 : status, body.toString(), null, null);
                }
            }
        } finally {
            headerBlock.release();
        }
    }

    private Http2Headers decode(int stream, ByteBuf block) throws IOException {
        try {
            return decoder.decodeHeaders(stream, block);
        } catch (Http2Exception e) {
            throw new IOException(e);
        } finally {
            block.clear();
        }
    }

    private static long unsigned(byte[] payload, int offset) {
        return ((payload[offset] & 0xffL) << 24) | ((payload[offset + 1] & 0xff) << 16)
                | ((payload[offset + 2] & 0xff) << 8) | (payload[offset + 3] & 0xff);
    }

    private void writeFrame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream};
        out.write(header);
        out.write(payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
