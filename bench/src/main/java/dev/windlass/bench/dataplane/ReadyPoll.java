package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;

import java.util.List;

/** Waits, inside a namespace, until a URL answers 200: a shell loop in the namespace polling with curl every 5 ms. */
final class ReadyPoll {
    private ReadyPoll() {
    }

    /** Returns once {@code url} answers 200; fails after {@code timeoutSeconds}. */
    static void awaitHttp(String namespace, String url, int timeoutSeconds) throws Exception {
        String loop = "end=$((SECONDS+" + timeoutSeconds + ")); "
                + "until [ \"$(curl -s -o /dev/null -m 1 -w '%{http_code}' '" + url + "')\" = 200 ]; do "
                + "[ $SECONDS -lt $end ] || { echo 'not ready: " + url + "'; exit 1; }; sleep 0.005; done";
        Cmd.run(Cmd.inNetns(namespace, List.of("bash", "-c", loop)), java.util.Map.of(), timeoutSeconds + 10);
    }
}
