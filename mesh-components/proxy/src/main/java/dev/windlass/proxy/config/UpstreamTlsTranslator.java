package dev.windlass.proxy.config;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.MeshTls;
import dev.windlass.proxy.config.DownstreamTls.SanMatcher;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cluster's transport_socket (envoy.transport_sockets.tls with an UpstreamTlsContext) and its upstream HTTP
 * options' auto SNI to {@link UpstreamTls}. Client certificates: the mesh's own ({@code default}, with the mesh's
 * {@code ROOTCA}: mesh mTLS), files, or a Secret ({@code kubernetes://<name>}, its CA {@code <name>-cacert}). What
 * Windlass does not originate is refused by name, so the cluster update is NACKed: CRLs, protocol versions and
 * ciphers, session settings.
 */
public final class UpstreamTlsTranslator {
    static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    private static final Set<String> UPSTREAM = Set.of("common_tls_context", "sni");
    private static final Set<String> COMMON = Set.of("validation_context", "alpn_protocols", "tls_certificates",
            "tls_certificate_sds_secret_configs", "combined_validation_context");
    private static final Set<String> VALIDATION = Set.of("trusted_ca", "system_root_certs",
            "match_typed_subject_alt_names", "match_subject_alt_names");

    private UpstreamTlsTranslator() {
    }

    static UpstreamTls translate(String where, TransportSocket socket, UpstreamHttpProtocolOptions http)
            throws InvalidConfigException {
        ProtoFields.only(socket, where, Set.of("name", "typed_config"));
        if (!socket.getTypedConfig().is(UpstreamTlsContext.class)) {
            throw new InvalidConfigException(where + ": transport socket " + socket.getTypedConfig().getTypeUrl()
                    + " is not supported by Windlass (only an UpstreamTlsContext)");
        }
        UpstreamTlsContext tls;
        try {
            tls = socket.getTypedConfig().unpack(UpstreamTlsContext.class);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException(where + ": cannot decode the UpstreamTlsContext", e);
        }
        ProtoFields.only(tls, where, UPSTREAM);
        ProtoFields.only(http, where, Set.of("auto_sni", "auto_san_validation"));
        CommonTlsContext common = tls.getCommonTlsContext();
        ProtoFields.only(common, where, COMMON);
        CredentialRef certificate = clientCertificate(where, common);
        CertificateValidationContext validation = common.getValidationContext();
        UpstreamTls.Trust trust;
        CredentialRef trustedCa = null;
        if (common.hasCombinedValidationContext()) {
            var combined = common.getCombinedValidationContext();
            ProtoFields.only(combined, where, Set.of("default_validation_context", "validation_context_sds_secret_config"));
            trustedCa = TlsTranslator.secret(where, combined.getValidationContextSdsSecretConfig(), true);
            trust = trustedCa instanceof CredentialRef.Workload ? UpstreamTls.Trust.MESH : UpstreamTls.Trust.SECRET;
            validation = combined.getDefaultValidationContext();
            ProtoFields.only(validation, where, Set.of("match_typed_subject_alt_names", "match_subject_alt_names"));
        } else {
            ProtoFields.only(validation, where, VALIDATION);
            trust = trust(where, validation);
            if (trust == UpstreamTls.Trust.FILE) {
                trustedCa = new CredentialRef.CaFile(filename(where, validation.getTrustedCa()));
            }
        }
        boolean workload = certificate instanceof CredentialRef.Workload;
        if (certificate != null && workload != (trust == UpstreamTls.Trust.MESH)) {
            throw new InvalidConfigException(where + ": the workload certificate (SDS " + MeshTls.SDS_CERTIFICATE
                    + ") and the mesh's trust bundle (" + MeshTls.SDS_ROOT_CA + ") go together");
        }
        List<SanMatcher> sans = sans(where, validation);
        if (trust == UpstreamTls.Trust.NONE && (!sans.isEmpty() || http.getAutoSanValidation())) {
            throw new InvalidConfigException(where + ": subject alt names checked without verifying the certificate");
        }
        String sni = tls.getSni().isEmpty() ? null : tls.getSni();
        return new UpstreamTls(sni, sni == null && http.getAutoSni(), http.getAutoSanValidation(), trust, trustedCa,
                sans, common.getAlpnProtocolsList(), certificate);
    }

    /** The client certificate: none, files, or over SDS (the workload's own, or a Secret's). */
    private static CredentialRef clientCertificate(String where, CommonTlsContext common) throws InvalidConfigException {
        int count = common.getTlsCertificatesCount() + common.getTlsCertificateSdsSecretConfigsCount();
        if (count == 0) {
            return null;
        }
        if (count > 1) {
            throw new InvalidConfigException(where + ": " + count + " client certificates; Windlass presents one");
        }
        if (common.getTlsCertificatesCount() == 1) {
            TlsCertificate files = common.getTlsCertificates(0);
            ProtoFields.only(files, where, Set.of("certificate_chain", "private_key"));
            return new CredentialRef.KeyPairFiles(filename(where, files.getCertificateChain()),
                    filename(where, files.getPrivateKey()));
        }
        return TlsTranslator.secret(where, common.getTlsCertificateSdsSecretConfigs(0), false);
    }

    private static UpstreamTls.Trust trust(String where, CertificateValidationContext validation)
            throws InvalidConfigException {
        if (validation.hasTrustedCa() && validation.hasSystemRootCerts()) {
            throw new InvalidConfigException(where + ": trusted_ca and system_root_certs together");
        }
        if (validation.hasTrustedCa()) {
            return UpstreamTls.Trust.FILE;
        }
        return validation.hasSystemRootCerts() ? UpstreamTls.Trust.SYSTEM : UpstreamTls.Trust.NONE;
    }

    private static List<SanMatcher> sans(String where, CertificateValidationContext validation)
            throws InvalidConfigException {
        List<SanMatcher> sans = new ArrayList<>();
        for (SubjectAltNameMatcher typed : validation.getMatchTypedSubjectAltNamesList()) {
            sans.add(TlsTranslator.sanMatcher(where, typed));
        }
        for (StringMatcher untyped : validation.getMatchSubjectAltNamesList()) {
            sans.add(new SanMatcher(DownstreamTls.SanType.ANY, TlsTranslator.match(where, untyped)));
        }
        return sans;
    }

    /** Only files: CA bundles, certificates and keys are read from the proxy's disk, never sent inline. */
    private static String filename(String where, DataSource source) throws InvalidConfigException {
        if (source.getSpecifierCase() != DataSource.SpecifierCase.FILENAME || source.getFilename().isEmpty()) {
            throw new InvalidConfigException(where + ": TLS material must name a file (" + source.getSpecifierCase()
                    + " is not supported by Windlass)");
        }
        ProtoFields.only(source, where, Set.of("filename"));
        return source.getFilename();
    }
}
