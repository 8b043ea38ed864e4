package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.contract.MeshTls;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proof, before the mTLS pair is measured, that its requests cross between the sidecars over mesh mTLS; the run
 * stops otherwise, since a plain-text "mTLS" row would compare nothing. Each sidecar holds its workload certificate
 * ({@code /certs}); the client's configuration checks the server pod's SPIFFE id (only a pod labelled as holding a
 * certificate is given one); a request reaches the server app with the client's SPIFFE id in the header the server
 * sidecar sets only for an mTLS peer (fortio's {@code /debug} echoes the request's headers); and the server sidecar
 * counts completed TLS handshakes.
 */
final class MtlsCheck {
    private static final Pattern HANDSHAKES = Pattern.compile("(?m)^windlass\\.ssl_handshake: (\\d+)$");

    private MtlsCheck() {
    }

    /** Returns the server sidecar's handshake count after the check; fails if any proof is missing. */
    static long verify(PodPair pods, String url, String clientId, String serverId) throws Exception {
        ReadyPoll.awaitAdmin(pods.client(), "/certs", clientId, "a workload certificate for " + clientId);
        ReadyPoll.awaitAdmin(pods.server(), "/certs", serverId, "a workload certificate for " + serverId);
        ReadyPoll.awaitAdmin(pods.client(), "/config_dump", serverId, "the mTLS match for " + serverId);
        String echo = Cmd.run(Cmd.inNetns(pods.client(), List.of("curl", "-s", "-m", "5", url + "/debug")));
        if (!echo.toLowerCase(java.util.Locale.ROOT).contains(MeshTls.FORWARDED_CLIENT_CERT) || !echo.contains(clientId)) {
            throw new IllegalStateException("a request through the mTLS pair reached the server without the client's SPIFFE id "
                    + clientId + " in " + MeshTls.FORWARDED_CLIENT_CERT + ": it was not mTLS. fortio /debug said:\n" + echo);
        }
        String stats = Cmd.run(Cmd.inNetns(pods.server(), List.of("curl", "-s", "http://127.0.0.1:15000/stats")));
        Matcher handshakes = HANDSHAKES.matcher(stats);
        if (!handshakes.find() || Long.parseLong(handshakes.group(1)) == 0) {
            throw new IllegalStateException("the server sidecar of the mTLS pair counts no TLS handshake after a request");
        }
        return Long.parseLong(handshakes.group(1));
    }
}
