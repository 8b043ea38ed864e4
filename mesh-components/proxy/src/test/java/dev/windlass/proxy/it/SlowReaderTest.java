package dev.windlass.proxy.it;

import com.google.protobuf.Duration;
import dev.windlass.proxy.testing.BulkUpstream;
import dev.windlass.proxy.testing.RawH2;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.RoutedGateway;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that reads a large response slowly must not make the proxy buffer it: while the client's connection
 * is unwritable the proxy stops reading the upstream (autoRead), so the upstream's own writes block, and the
 * proxy's buffers (Netty's direct memory, 64 MiB at most in the image) stay small; then every byte arrives intact.
 * Over HTTP/1.1 the client leaves its socket unread; over h2c it reads but grants no flow-control window.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowReaderTest {
    private static final String APP = "outbound|80||bulk.test.svc.cluster.local";
    private static final long SIZE = 64L * 1024 * 1024;
    /** The window an h2c client grants once it reads. */
    private static final int WINDOW = 4 * 1024 * 1024;

    private BulkUpstream bulk;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        bulk = new BulkUpstream(SIZE);
        gateway = new RoutedGateway();
        gateway.serve(List.of(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(APP).setTimeout(Duration.getDefaultInstance())).build()),
                Map.of(APP, List.of(bulk.address())));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        bulk.close();
    }

    @Test
    void aClientThatDoesNotReadHoldsTheUpstreamBackThenGetsEveryByte() throws Exception {
        long directBefore = usedDirectMemory();
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port), 2000);
            client.setSoTimeout(30_000);
            client.getOutputStream().write(RawHttp.get("/bulk", "bulk").getBytes(StandardCharsets.US_ASCII));

            long stalled = awaitStall();
            long directHeld = usedDirectMemory() - directBefore;
            System.out.printf("slow reader: upstream stalled after %.1f MiB of %d MiB; proxy direct memory +%.1f MiB%n",
                    stalled / 1048576.0, SIZE >> 20, directHeld / 1048576.0);
            // What the upstream got to write is what the kernel's socket buffers (autotuned, loopback) and the
            // proxy's bounded buffers hold; the proxy's own share is its direct memory.
            assertThat(stalled).as("upstream writes block").isLessThan(SIZE / 2);
            assertThat(directHeld).as("the proxy's buffers").isLessThan(8L * 1024 * 1024);

            InputStream in = new BufferedInputStream(client.getInputStream(), 256 * 1024);
            RawHttp.skipHead(in);
            assertThat(readVerified(in)).isEqualTo(SIZE);
        }
        assertThat(bulk.written()).isEqualTo(SIZE);
    }

    @Test
    void anH2cClientThatGrantsNoWindowHoldsTheUpstreamBackThenGetsEveryByte() throws Exception {
        long directBefore = usedDirectMemory();
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port), 2000);
            client.setSoTimeout(30_000);
            RawH2.start(client);
            client.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1,
                    RawH2.getHeaders("bulk")));

            // The client reads, but grants no window beyond HTTP/2's initial 64 KiB.
            long stalled = awaitStall();
            long directHeld = usedDirectMemory() - directBefore;
            System.out.printf("slow h2c reader: upstream stalled after %.1f MiB of %d MiB; proxy direct memory +%.1f MiB%n",
                    stalled / 1048576.0, SIZE >> 20, directHeld / 1048576.0);
            assertThat(stalled).as("upstream writes block").isLessThan(SIZE / 2);
            assertThat(directHeld).as("the proxy's buffers").isLessThan(8L * 1024 * 1024);

            assertThat(readGrantingWindow(client)).isEqualTo(SIZE);
        }
        assertThat(bulk.written()).isEqualTo(SIZE);
    }

    /**
     * Reads stream 1's DATA to its end, checking every byte, with a window of {@link #WINDOW} more bytes, given
     * back as they are read; answers SETTINGS and PING. Returns the body's length.
     */
    private static long readGrantingWindow(Socket client) throws Exception {
        DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 256 * 1024));
        OutputStream out = client.getOutputStream();
        out.write(RawH2.windowUpdate(1, WINDOW));
        out.write(RawH2.windowUpdate(0, WINDOW));
        long offset = 0;
        long granted = 0;
        for (RawH2.Frame frame = RawH2.read(in); frame != null; frame = RawH2.read(in)) {
            boolean ack = (frame.flags() & RawH2.ACK) != 0;
            if ((frame.type() == RawH2.SETTINGS || frame.type() == RawH2.PING) && !ack) {
                out.write(RawH2.frame(frame.type(), RawH2.ACK, 0, frame.type() == RawH2.PING ? frame.payload() : new byte[0]));
            }
            if (frame.type() == RawH2.HEADERS && frame.streamId() == 1) {
                assertThat(frame.payload()[0]).as(":status 200, HPACK's static entry 8").isEqualTo((byte) 0x88);
            }
            if (frame.type() != RawH2.DATA || frame.streamId() != 1) {
                continue;
            }
            byte[] data = frame.payload();
            verify(data, data.length, offset);
            offset += data.length;
            if ((frame.flags() & RawH2.END_STREAM) != 0) {
                return offset;
            }
            if (offset - granted >= WINDOW / 2) {
                out.write(RawH2.windowUpdate(1, (int) (offset - granted)));
                out.write(RawH2.windowUpdate(0, (int) (offset - granted)));
                granted = offset;
            }
        }
        return offset;
    }

    /** Waits until the upstream has written nothing more for a second; returns what it wrote. */
    private long awaitStall() throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = bulk.written();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the upstream never stalled: " + last + " bytes written");
    }

    /** Reads the body and checks every byte against the upstream's pattern; returns how many were read. */
    private static long readVerified(InputStream in) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        while (offset < SIZE) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, SIZE - offset));
            if (n < 0) {
                break;
            }
            verify(buffer, n, offset);
            offset += n;
        }
        return offset;
    }

    private static void verify(byte[] bytes, int length, long offset) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != BulkUpstream.byteAt(offset + i)) {
                throw new AssertionError("byte " + (offset + i) + " differs");
            }
        }
    }

    private static long usedDirectMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metrics
                ? metrics.metric().usedDirectMemory() : 0;
    }
}
