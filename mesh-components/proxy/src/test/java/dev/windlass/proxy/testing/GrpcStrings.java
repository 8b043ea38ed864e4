package dev.windlass.proxy.testing;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** gRPC methods whose messages are UTF-8 strings: a test service needs no protobuf. */
public final class GrpcStrings implements MethodDescriptor.Marshaller<String> {
    private static final GrpcStrings INSTANCE = new GrpcStrings();

    private GrpcStrings() {
    }

    public static MethodDescriptor<String, String> method(String fullName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(fullName)
                .setRequestMarshaller(INSTANCE).setResponseMarshaller(INSTANCE).build();
    }

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
