package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.identity.WorkloadIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the credential store keeps watching: what accepted clusters or filter chains use, and nothing else. */
class CredentialStoreTest {
    @TempDir
    Path dir;

    @Test
    void originationCredentialsNoClusterUsesAreNoLongerWatched() {
        CredentialRef kept = new CredentialRef.CaFile(dir.resolve("kept.pem").toString());
        CredentialRef dropped = new CredentialRef.KeyPairFiles(dir.resolve("a.crt").toString(), dir.resolve("a.key").toString());
        CredentialRef chainsToo = new CredentialRef.CaFile(dir.resolve("shared.pem").toString());
        try (CredentialStore store = new CredentialStore(new CredentialReader(null, WorkloadIdentity.none()), Duration.ofHours(1))) {
            store.watch(kept);
            store.watch(dropped);
            store.watch(chainsToo);
            store.subscribe(chainsToo, () -> { });

            store.unwatchAllBut(Set.of(kept));

            assertThat(store.watches(kept)).isTrue();
            assertThat(store.watches(dropped)).as("a client certificate of a cluster that is gone").isFalse();
            assertThat(store.watches(chainsToo)).as("still a filter chain's").isTrue();
            assertThat(store.current(dropped)).isInstanceOf(Credential.Unavailable.class);
        }
    }
}
