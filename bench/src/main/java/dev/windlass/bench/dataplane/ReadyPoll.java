package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;

import java.util.List;

/** Waits, inside a namespace, until a URL answers 200 (or a sidecar's admin page shows something). */
final class ReadyPoll {
    private ReadyPoll() {
    }

    /** Returns once {@code url} answers 200, polled by a shell loop with curl every 5 ms; fails after {@code timeoutSeconds}. */
    static void awaitHttp(String namespace, String url, int timeoutSeconds) throws Exception {
        String loop = "end=$((SECONDS+" + timeoutSeconds + ")); "
                + "until [ \"$(curl -s -o /dev/null -m 1 -w '%{http_code}' '" + url + "')\" = 200 ]; do "
                + "[ $SECONDS -lt $end ] || { echo 'not ready: " + url + "'; exit 1; }; sleep 0.005; done";
        Cmd.run(Cmd.inNetns(namespace, List.of("bash", "-c", loop)), java.util.Map.of(), timeoutSeconds + 10);
    }

    /**
     * Returns once the sidecar admin page {@code path} (127.0.0.1:15000) in the namespace contains {@code marker},
     * polled every 100 ms for 60 s; else fails saying the sidecar never showed {@code what}, since a comparison
     * without it would mean nothing.
     */
    static void awaitAdmin(String namespace, String path, String marker, String what) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Cmd.run(Cmd.inNetns(namespace, List.of("curl", "-s", "http://127.0.0.1:15000" + path))).contains(marker)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the sidecar in " + namespace + " never showed " + what + " (" + path + ")");
    }
}
