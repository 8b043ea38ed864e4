package dev.windlass.proxy.net;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

class SoOriginalDstTest {
    @Test
    void parsesASockaddrIn() {
        ByteBuffer raw = ByteBuffer.allocate(16);
        raw.order(ByteOrder.nativeOrder()).putShort(0, (short) 2);
        raw.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) 9080);
        raw.put(4, (byte) 10).put(5, (byte) 96).put(6, (byte) 0).put(7, (byte) 17);
        assertThat(SoOriginalDst.parse(raw)).isEqualTo(new InetSocketAddress("10.96.0.17", 9080));
    }

    @Test
    void refusesOtherFamiliesAndShortBuffers() {
        ByteBuffer inet6 = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort(0, (short) 10);
        assertThat(SoOriginalDst.parse(inet6)).isNull();
        assertThat(SoOriginalDst.parse(ByteBuffer.allocate(4))).isNull();
        assertThat(SoOriginalDst.parse(null)).isNull();
    }

    @Test
    void theOptionIsSolIpSoOriginalDst() {
        assertThat(SoOriginalDst.OPTION.level()).isZero();
        assertThat(SoOriginalDst.OPTION.optname()).isEqualTo(80);
        assertThat(SoOriginalDst.OPTION.length()).isEqualTo(16);
    }
}
