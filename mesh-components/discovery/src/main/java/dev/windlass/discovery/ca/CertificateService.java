package dev.windlass.discovery.ca;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.discovery.auth.Caller;
import dev.windlass.discovery.auth.Callers;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Istio's CA service on the TLS port: the caller, authenticated by its token ({@link Callers}), gets a certificate
 * for its own SPIFFE id, and only that.
 */
public final class CertificateService {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateService.class);

    private CertificateService() {
    }

    public static ServerServiceDefinition of(WorkloadIssuer issuer, String trustDomain) {
        return ServerServiceDefinition.builder(MeshIdentity.CA_SERVICE)
                .addMethod(IstioCaProtocol.CREATE_CERTIFICATE, ServerCalls.asyncUnaryCall(
                        (request, response) -> create(issuer, trustDomain, request, response)))
                .build();
    }

    private static void create(WorkloadIssuer issuer, String trustDomain, DynamicMessage request,
                               StreamObserver<DynamicMessage> response) {
        Caller caller = Callers.CURRENT.get();
        if (caller == null) {
            response.onError(Status.UNAUTHENTICATED.withDescription("certificates are issued on the TLS port only").asRuntimeException());
            return;
        }
        try {
            List<String> chain = issuer.issue(IstioCaProtocol.csr(request), caller.identity(trustDomain),
                    IstioCaProtocol.validitySeconds(request));
            LOG.debug("issued a certificate for {} ({})", caller.identity(trustDomain), caller);
            response.onNext(IstioCaProtocol.response(chain));
            response.onCompleted();
        } catch (WorkloadIssuer.Refused e) {
            LOG.warn("certificate for {} refused: {}", caller, e.getMessage());
            response.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
