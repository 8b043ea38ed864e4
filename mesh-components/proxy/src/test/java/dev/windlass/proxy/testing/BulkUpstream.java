package dev.windlass.proxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 app on loopback that answers every request with {@code size} bytes of {@link #byteAt} in 64 KiB
 * blocking writes, counting what it managed to write: when nobody downstream reads, its count stops where the
 * buffers between it and the reader are full.
 */
public final class BulkUpstream implements AutoCloseable {
    private static final int BLOCK = 64 * 1024;

    private final long size;
    private final AtomicLong written = new AtomicLong();
    private final RawUpstream server;

    public BulkUpstream(long size) throws IOException {
        this.size = size;
        server = new RawUpstream(this::answer);
    }

    /** The body's byte at {@code offset}: not periodic on any buffer size, so a lost or repeated block shows. */
    public static byte byteAt(long offset) {
        return (byte) (offset ^ offset >>> 11 ^ offset >>> 23);
    }

    private void answer(Socket socket) throws IOException {
        RawHttp.skipHead(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] block = new byte[BLOCK];
        for (long offset = 0; offset < size; offset += BLOCK) {
            int length = (int) Math.min(BLOCK, size - offset);
            for (int i = 0; i < length; i++) {
                block[i] = byteAt(offset + i);
            }
            out.write(block, 0, length);
            written.addAndGet(length);
        }
        out.flush();
    }

    /** Body bytes written into the socket so far, over all requests. */
    public long written() {
        return written.get();
    }

    public String address() {
        return server.address();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
