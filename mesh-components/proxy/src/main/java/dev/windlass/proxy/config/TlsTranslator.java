package dev.windlass.proxy.config;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.MeshTls;
import dev.windlass.proxy.config.DownstreamTls.SanMatcher;
import dev.windlass.proxy.config.DownstreamTls.SanType;
import dev.windlass.proxy.config.DownstreamTls.TlsVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A filter chain's transport_socket (envoy.transport_sockets.tls with a DownstreamTlsContext) to
 * {@link DownstreamTls}. What Windlass does not implement is refused by name, so the listener is NACKed and the
 * last good config stays: certificates from files, {@code kubernetes://} SDS names or the mesh's own SDS names
 * {@code default} and {@code ROOTCA} (never inline key material),
 * one certificate per chain, client certificates against trusted CAs with SAN matchers, protocol versions 1.2 and
 * 1.3, TLS 1.2 cipher suites and ALPN.
 */
public final class TlsTranslator {
    private static final Set<String> DOWNSTREAM = Set.of("common_tls_context", "require_client_certificate");
    private static final Set<String> COMMON = Set.of("tls_params", "tls_certificates", "tls_certificate_sds_secret_configs",
            "validation_context", "validation_context_sds_secret_config", "combined_validation_context", "alpn_protocols");
    private static final Set<String> PARAMS = Set.of("tls_minimum_protocol_version", "tls_maximum_protocol_version",
            "cipher_suites");
    private static final Set<String> VALIDATION = Set.of("trusted_ca", "match_typed_subject_alt_names",
            "match_subject_alt_names");

    private TlsTranslator() {
    }

    public static DownstreamTls translate(String where, TransportSocket socket) throws InvalidConfigException {
        ProtoFields.only(socket, where, Set.of("name", "typed_config"));
        if (!socket.getTypedConfig().is(DownstreamTlsContext.class)) {
            throw new InvalidConfigException(where + ": transport socket " + socket.getTypedConfig().getTypeUrl()
                    + " is not supported by Windlass (only a DownstreamTlsContext)");
        }
        try {
            return downstream(where, socket.getTypedConfig().unpack(DownstreamTlsContext.class));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException(where + ": cannot decode the DownstreamTlsContext", e);
        }
    }

    static DownstreamTls downstream(String where, DownstreamTlsContext tls) throws InvalidConfigException {
        ProtoFields.only(tls, where, DOWNSTREAM);
        CommonTlsContext common = tls.getCommonTlsContext();
        ProtoFields.only(common, where, COMMON);
        CredentialRef certificate = certificate(where, common);
        Validation validation = validation(where, common);
        boolean requireClient = tls.hasRequireClientCertificate() && tls.getRequireClientCertificate().getValue();
        if (requireClient && validation.trustedCa() == null) {
            throw new InvalidConfigException(where + ": require_client_certificate without a trusted CA");
        }
        TlsParameters params = common.getTlsParams();
        ProtoFields.only(params, where, PARAMS);
        TlsVersion min = version(where, params.getTlsMinimumProtocolVersion(), TlsVersion.TLS_1_2);
        TlsVersion max = version(where, params.getTlsMaximumProtocolVersion(), TlsVersion.TLS_1_3);
        if (min.compareTo(max) > 0) {
            throw new InvalidConfigException(where + ": tls_minimum_protocol_version above tls_maximum_protocol_version");
        }
        return new DownstreamTls(certificate, validation.trustedCa(), requireClient, min, max,
                CipherSuites.toJava(where, params.getCipherSuitesList()), validation.sans(), common.getAlpnProtocolsList());
    }

    private static CredentialRef certificate(String where, CommonTlsContext common) throws InvalidConfigException {
        int count = common.getTlsCertificatesCount() + common.getTlsCertificateSdsSecretConfigsCount();
        if (count != 1) {
            throw new InvalidConfigException(where + ": " + count + " certificates; Windlass serves exactly one per"
                    + " filter chain (choose certificates by SNI with one chain each)");
        }
        if (common.getTlsCertificatesCount() == 1) {
            TlsCertificate files = common.getTlsCertificates(0);
            ProtoFields.only(files, where, Set.of("certificate_chain", "private_key"));
            return new CredentialRef.KeyPairFiles(filename(where, "certificate_chain", files.getCertificateChain()),
                    filename(where, "private_key", files.getPrivateKey()));
        }
        return secret(where, common.getTlsCertificateSdsSecretConfigs(0), false);
    }

    private record Validation(CredentialRef trustedCa, List<SanMatcher> sans) {
    }

    private static Validation validation(String where, CommonTlsContext common) throws InvalidConfigException {
        return switch (common.getValidationContextTypeCase()) {
            case VALIDATION_CONTEXT -> inline(where, common.getValidationContext(), null);
            case VALIDATION_CONTEXT_SDS_SECRET_CONFIG ->
                    new Validation(secret(where, common.getValidationContextSdsSecretConfig(), true), List.of());
            case COMBINED_VALIDATION_CONTEXT -> {
                var combined = common.getCombinedValidationContext();
                ProtoFields.only(combined, where, Set.of("default_validation_context", "validation_context_sds_secret_config"));
                yield inline(where, combined.getDefaultValidationContext(),
                        secret(where, combined.getValidationContextSdsSecretConfig(), true));
            }
            default -> new Validation(null, List.of());
        };
    }

    private static Validation inline(String where, CertificateValidationContext context, CredentialRef sds)
            throws InvalidConfigException {
        ProtoFields.only(context, where, VALIDATION);
        CredentialRef ca = sds;
        if (context.hasTrustedCa()) {
            if (sds != null) {
                throw new InvalidConfigException(where + ": trusted_ca both inline and over SDS");
            }
            ca = new CredentialRef.CaFile(filename(where, "trusted_ca", context.getTrustedCa()));
        }
        List<SanMatcher> sans = new ArrayList<>();
        for (SubjectAltNameMatcher typed : context.getMatchTypedSubjectAltNamesList()) {
            sans.add(sanMatcher(where, typed));
        }
        for (StringMatcher untyped : context.getMatchSubjectAltNamesList()) {
            sans.add(new SanMatcher(SanType.ANY, match(where, untyped)));
        }
        if (!sans.isEmpty() && ca == null) {
            throw new InvalidConfigException(where + ": subject alt name matchers without a trusted CA");
        }
        return new Validation(ca, sans);
    }

    static SanMatcher sanMatcher(String where, SubjectAltNameMatcher typed) throws InvalidConfigException {
        ProtoFields.only(typed, where, Set.of("san_type", "matcher"));
        return new SanMatcher(sanType(where, typed.getSanType()), match(where, typed.getMatcher()));
    }

    private static SanType sanType(String where, SubjectAltNameMatcher.SanType type) throws InvalidConfigException {
        return switch (type) {
            case DNS -> SanType.DNS;
            case URI -> SanType.URI;
            case EMAIL -> SanType.EMAIL;
            case IP_ADDRESS -> SanType.IP_ADDRESS;
            default -> throw new InvalidConfigException(where + ": subject alt name type " + type
                    + " is not supported by Windlass");
        };
    }

    static StringMatch match(String where, StringMatcher matcher) throws InvalidConfigException {
        try {
            return RouteTranslator.stringMatch(matcher);
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(where + ": subject alt name " + e.getMessage(), e);
        }
    }

    /** Only files: key material never travels inline over xDS. */
    private static String filename(String where, String field, DataSource source) throws InvalidConfigException {
        if (source.getSpecifierCase() != DataSource.SpecifierCase.FILENAME || source.getFilename().isEmpty()) {
            throw new InvalidConfigException(where + ": " + field + " must name a file (" + source.getSpecifierCase()
                    + " is not supported by Windlass)");
        }
        ProtoFields.only(source, where, Set.of("filename"));
        return source.getFilename();
    }

    static CredentialRef secret(String where, SdsSecretConfig sds, boolean ca) throws InvalidConfigException {
        ProtoFields.only(sds, where, Set.of("name", "sds_config"));
        ConfigSource source = sds.getSdsConfig();
        ProtoFields.only(source, where, Set.of("ads", "resource_api_version", "initial_fetch_timeout"));
        if (!source.hasAds()) {
            throw new InvalidConfigException(where + ": SDS secret " + sds.getName() + " must come over ADS");
        }
        String name = sds.getName();
        if (name.equals(MeshTls.SDS_CERTIFICATE) || name.equals(MeshTls.SDS_ROOT_CA)) {
            if (ca != name.equals(MeshTls.SDS_ROOT_CA)) {
                throw new InvalidConfigException(where + ": SDS secret " + name + " used as "
                        + (ca ? "a validation context" : "a certificate"));
            }
            return new CredentialRef.Workload(ca);
        }
        if (!name.startsWith(CredentialRef.SDS_PREFIX) || name.length() == CredentialRef.SDS_PREFIX.length()
                || name.indexOf('/', CredentialRef.SDS_PREFIX.length()) >= 0) {
            throw new InvalidConfigException(where + ": SDS secret \"" + name + "\" is not supported by Windlass"
                    + " (only kubernetes://<secret> in the gateway's own namespace, and the mesh's " + MeshTls.SDS_CERTIFICATE
                    + " and " + MeshTls.SDS_ROOT_CA + ")");
        }
        return new CredentialRef.Secret(name.substring(CredentialRef.SDS_PREFIX.length()), ca);
    }

    private static TlsVersion version(String where, TlsParameters.TlsProtocol protocol, TlsVersion auto)
            throws InvalidConfigException {
        return switch (protocol) {
            case TLS_AUTO -> auto;
            case TLSv1_2 -> TlsVersion.TLS_1_2;
            case TLSv1_3 -> TlsVersion.TLS_1_3;
            default -> throw new InvalidConfigException(where + ": TLS protocol version " + protocol
                    + " is not supported by Windlass (TLSv1_2 and TLSv1_3 are)");
        };
    }
}
