package dev.windlass.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server on a loopback UDP port (Netty's DNS codec), answering A queries from a table the test changes,
 * each answer with the TTL the test sets, everything else NXDOMAIN; it counts the queries per name.
 */
public final class TestDnsServer implements AutoCloseable {
    private record Answer(List<String> ips, int ttlSeconds) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public TestDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Responder());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** From now on {@code name} resolves to {@code ips}, with this TTL. */
    public void answer(String name, int ttlSeconds, String... ips) {
        answers.put(key(name), new Answer(List.of(ips), ttlSeconds));
    }

    /** From now on {@code name} does not exist (NXDOMAIN). */
    public void forget(String name) {
        answers.remove(key(name));
    }

    public int queries(String name) {
        return queries.getOrDefault(key(name), new AtomicInteger()).get();
    }

    public DnsServerAddressStreamProvider provider() {
        return new SingletonDnsServerAddressStreamProvider((InetSocketAddress) channel.localAddress());
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) throws UnknownHostException {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.addRecord(DnsSection.QUESTION, question);
            String name = key(question.name());
            queries.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.get(name);
            if (answer == null || question.type() != DnsRecordType.A) {
                response.setCode(answer == null ? DnsResponseCode.NXDOMAIN : DnsResponseCode.NOERROR);
            } else {
                for (String ip : answer.ips()) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                            answer.ttlSeconds(), Unpooled.wrappedBuffer(InetAddress.getByName(ip).getAddress())));
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
