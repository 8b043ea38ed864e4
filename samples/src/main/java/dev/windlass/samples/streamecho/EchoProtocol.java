package dev.windlass.samples.streamecho;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the stream-echo server and the load client's {@code ws} and {@code grpc} modes agree on: the WebSocket path,
 * the gRPC method (a bidirectional stream of UTF-8 strings, so no protobuf is needed) and the numbered messages.
 */
public final class EchoProtocol {
    public static final String WEBSOCKET_PATH = "/ws";
    public static final MethodDescriptor<String, String> CHAT = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName("windlass.samples.StreamEcho/Chat")
            .setRequestMarshaller(Utf8.INSTANCE).setResponseMarshaller(Utf8.INSTANCE).build();
    private static final String PREFIX = "message ";

    private EchoProtocol() {
    }

    public static String message(long sequence) {
        return PREFIX + sequence;
    }

    /** The sequence number of a message, or -1 when it is not one of ours. */
    public static long sequence(String message) {
        if (message == null || !message.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(message, PREFIX.length(), message.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        static final Utf8 INSTANCE = new Utf8();

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
