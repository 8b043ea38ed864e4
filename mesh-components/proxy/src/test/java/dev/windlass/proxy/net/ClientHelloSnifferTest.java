package dev.windlass.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The tls_inspector's reading of real ClientHellos (from Netty's JDK and BoringSSL engines) and of plain text. */
class ClientHelloSnifferTest {
    private record Seen(boolean tls, ClientHello hello) {
    }

    @Test
    void readsTheServerNameAndAlpnOfAClientHelloFromEitherEngine() throws Exception {
        // Neither engine sends an SNI with an underscore (not a DNS host name), such as Istio's outbound_.9080_._.host.
        for (String[] engine : new String[][]{{"JDK", "reviews.shop.svc.cluster.local"},
                {"OPENSSL", "ratings.shop.svc.cluster.local"}}) {
            Seen seen = sniff(clientHello(SslProvider.valueOf(engine[0]), engine[1], List.of("istio-peer-exchange", "istio")));
            assertThat(seen.tls()).as(engine[0]).isTrue();
            assertThat(seen.hello().serverName()).isEqualTo(engine[1]);
            assertThat(seen.hello().alpn()).containsExactly("istio-peer-exchange", "istio");
        }
        Seen bare = sniff(clientHello(SslProvider.JDK, null, List.of()));
        assertThat(bare.tls()).isTrue();
        assertThat(bare.hello()).isEqualTo(ClientHello.NONE);
    }

    @Test
    void plainTextIsNotTlsAndTheBytesStayForTheNextHandler() {
        AtomicReference<Seen> seen = new AtomicReference<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloSniffer((ctx, tls, hello) -> seen.set(new Seen(tls, hello))));
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(seen.get()).isEqualTo(new Seen(false, ClientHello.NONE));
        ByteBuf passed = channel.readInbound();
        assertThat(passed.toString(StandardCharsets.US_ASCII)).startsWith("GET / HTTP/1.1");
        passed.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aTruncatedBodyReadsAsOfferingNothing() {
        ByteBuf body = Unpooled.buffer().writeShort(0x0303).writeZero(32).writeByte(40);
        assertThat(ClientHello.parse(body)).isEqualTo(ClientHello.NONE);
    }

    private static Seen sniff(ByteBuf hello) {
        AtomicReference<Seen> seen = new AtomicReference<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloSniffer((ctx, tls, h) -> seen.set(new Seen(tls, h))));
        channel.writeInbound(hello);
        channel.finishAndReleaseAll();
        return seen.get();
    }

    /** The first flight of a client engine offering {@code alpn} to {@code sni}. */
    private static ByteBuf clientHello(SslProvider provider, String sni, List<String> alpn) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider)
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        SslContext context = builder.build();
        EmbeddedChannel client = new EmbeddedChannel(sni == null ? context.newHandler(Unpooled.buffer().alloc())
                : context.newHandler(Unpooled.buffer().alloc(), sni, 443));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part = client.readOutbound(); part != null; part = client.readOutbound()) {
            out.writeBytes(part);
            part.release();
        }
        client.finishAndReleaseAll();
        return out;
    }
}
