package dev.windlass.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame boundaries of an h2c connection followed from its bytes, however the reads split them: a request head
 * is on its way from the preface or a frame header's first byte until the frame ends, and through a header block
 * until its END_HEADERS; another frame's payload is not a head.
 */
class Http2HeaderBlocksTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] frame(int type, int flags, int stream, int length) {
        return ByteBuffer.allocate(9 + length).put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
                .put((byte) type).put((byte) flags).putInt(stream).array();
    }

    /** Whether a head was on its way after each byte, the bytes read one at a time; where it began in {@code starts}. */
    private static List<Boolean> byteByByte(byte[] bytes, List<Long> starts) {
        Http2HeaderBlocks blocks = new Http2HeaderBlocks();
        List<Boolean> states = new ArrayList<>();
        for (byte b : bytes) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[]{b});
            states.add(blocks.scan(one));
            starts.add(blocks.unitStart());
            assertThat(one.readableBytes()).as("nothing consumed").isEqualTo(1);
        }
        return states;
    }

    @Test
    void aHeaderBlockIsOnItsWayUntilItsEndHeadersWhateverTheSplit() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(PREFACE);
        wire.writeBytes(frame(4, 0, 0, 0)); // SETTINGS
        int settingsEnd = wire.size();
        wire.writeBytes(frame(1, 0x1, 1, 20)); // HEADERS, END_STREAM, no END_HEADERS
        wire.writeBytes(frame(9, 0, 1, 5)); // CONTINUATION
        wire.writeBytes(frame(9, 0x4, 1, 3)); // CONTINUATION, END_HEADERS
        int blockEnd = wire.size();
        wire.writeBytes(frame(0, 0, 3, 100)); // DATA: its payload is no head
        byte[] bytes = wire.toByteArray();

        List<Long> starts = new ArrayList<>();
        List<Boolean> states = byteByByte(bytes, starts);
        assertThat(states.subList(0, PREFACE.length - 1)).containsOnly(true);
        assertThat(states.get(PREFACE.length - 1)).as("after the preface").isFalse();
        assertThat(states.get(settingsEnd - 1)).as("after SETTINGS").isFalse();
        assertThat(states.subList(settingsEnd, blockEnd - 1)).containsOnly(true);
        assertThat(states.get(blockEnd - 1)).as("after END_HEADERS").isFalse();
        assertThat(states.subList(blockEnd, blockEnd + 8)).as("DATA's frame header").containsOnly(true);
        assertThat(states.subList(blockEnd + 8, bytes.length)).as("DATA's payload").containsOnly(false);
        assertThat(starts.subList(0, PREFACE.length)).containsOnly(0L);
        assertThat(starts.subList(PREFACE.length, settingsEnd)).containsOnly((long) PREFACE.length);
        assertThat(starts.subList(settingsEnd, blockEnd)).as("one head across its CONTINUATION frames")
                .containsOnly((long) settingsEnd);
        assertThat(starts.get(blockEnd)).isEqualTo(blockEnd);

        Http2HeaderBlocks whole = new Http2HeaderBlocks();
        assertThat(whole.scan(Unpooled.wrappedBuffer(bytes, 0, blockEnd - 1))).isTrue();
        assertThat(whole.scan(Unpooled.wrappedBuffer(bytes, blockEnd - 1, bytes.length - blockEnd + 1))).isFalse();
    }
}
