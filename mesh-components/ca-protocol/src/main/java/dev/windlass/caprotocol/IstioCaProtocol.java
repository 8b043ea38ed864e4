package dev.windlass.caprotocol;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.windlass.contract.MeshIdentity;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

import java.util.List;

/**
 * Istio's CA protocol ({@code security/v1alpha1/ca.proto}): {@code CreateCertificate(IstioCertificateRequest)
 * returns (IstioCertificateResponse)}. The two messages are described here at run time and carried as
 * DynamicMessages, so the wire format is Istio's without a protoc step in the build; only the fields Windlass uses
 * are described (csr = 1, validity_duration = 2; cert_chain = 1), and protobuf skips the rest.
 */
public final class IstioCaProtocol {
    private static final Descriptors.Descriptor REQUEST;
    private static final Descriptors.Descriptor RESPONSE;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("windlass/istio-ca.proto")
                .setPackage("istio.v1.auth").setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateRequest")
                        .addField(field("csr", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
                        .addField(field("validity_duration", 2, FieldDescriptorProto.Type.TYPE_INT64, false)))
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateResponse")
                        .addField(field("cert_chain", 1, FieldDescriptorProto.Type.TYPE_STRING, true)))
                .build();
        try {
            Descriptors.FileDescriptor built = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
            REQUEST = built.findMessageTypeByName("IstioCertificateRequest");
            RESPONSE = built.findMessageTypeByName("IstioCertificateResponse");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static final MethodDescriptor<DynamicMessage, DynamicMessage> CREATE_CERTIFICATE =
            MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(MeshIdentity.CA_SERVICE, MeshIdentity.CA_METHOD))
                    .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(REQUEST)))
                    .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(RESPONSE)))
                    .build();

    private IstioCaProtocol() {
    }

    /** A request for a certificate for {@code csrPem}, valid {@code validitySeconds} (0: the CA's default). */
    public static DynamicMessage request(String csrPem, long validitySeconds) {
        return DynamicMessage.newBuilder(REQUEST).setField(REQUEST.findFieldByNumber(1), csrPem)
                .setField(REQUEST.findFieldByNumber(2), validitySeconds).build();
    }

    public static String csr(DynamicMessage request) {
        return (String) request.getField(REQUEST.findFieldByNumber(1));
    }

    public static long validitySeconds(DynamicMessage request) {
        return (Long) request.getField(REQUEST.findFieldByNumber(2));
    }

    /** The answer: the workload certificate first, then the CA chain up to the root (PEM each). */
    public static DynamicMessage response(List<String> chainPem) {
        DynamicMessage.Builder response = DynamicMessage.newBuilder(RESPONSE);
        chainPem.forEach(pem -> response.addRepeatedField(RESPONSE.findFieldByNumber(1), pem));
        return response.build();
    }

    @SuppressWarnings("unchecked")
    public static List<String> chain(DynamicMessage response) {
        return List.copyOf((List<String>) response.getField(RESPONSE.findFieldByNumber(1)));
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, boolean repeated) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .build();
    }
}
