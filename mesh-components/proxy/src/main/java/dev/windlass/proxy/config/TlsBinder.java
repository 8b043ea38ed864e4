package dev.windlass.proxy.config;

import dev.windlass.proxy.identity.WorkloadIdentity;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.tls.ServerTls;

import java.util.Set;

/**
 * Compiles a chain's TLS settings into the proxy's termination for them (shared by equal settings), and
 * forgets those no accepted listener uses.
 */
public interface TlsBinder {
    /** For translations where the proxy terminates no TLS: every transport socket is refused. */
    TlsBinder NONE = new TlsBinder() {
        @Override
        public ServerTls bind(DownstreamTls settings) throws InvalidConfigException {
            throw new InvalidConfigException("TLS termination is not available in this proxy");
        }

        @Override
        public void retain(Set<ServerTls> inUse) {
        }

        @Override
        public ClientTls client(String where, UpstreamTls settings) throws InvalidConfigException {
            return ClientTls.compile(where, settings, WorkloadIdentity.none());
        }
    };

    ServerTls bind(DownstreamTls settings) throws InvalidConfigException;

    /** A cluster's TLS origination, compiled (mesh mTLS with the proxy's workload certificate). */
    ClientTls client(String where, UpstreamTls settings) throws InvalidConfigException;

    void retain(Set<ServerTls> inUse);

    /** Stops watching the origination credentials no accepted cluster uses any more. */
    default void retainClientCredentials(Set<CredentialRef> inUse) {
    }
}
