package dev.windlass.proxy;

import dev.windlass.proxy.net.SoOriginalDst;

import java.util.Arrays;

/**
 * The one proxy image's entry point: the first argument picks the role. {@code init} writes the iptables rules
 * (the windlass-init program), {@code sidecar} runs the sidecar proxy, {@code router} runs a gateway, and
 * {@code wait} waits until the proxy beside it is ready (the postStart hook of holdApplicationUntilProxyStarts).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String role = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "init" -> dev.windlass.init.Main.main(rest);
            case "sidecar" -> run(Role.SIDECAR, rest);
            case "router" -> run(Role.ROUTER, rest);
            case "wait" -> System.exit(waitForReady(rest));
            default -> {
                System.err.println("usage: windlass-proxy init|sidecar|router|wait [--name=value...]");
                System.exit(2);
            }
        }
    }

    private static int waitForReady(String[] args) {
        try {
            WaitForReady wait = WaitForReady.parse(args, ProxyOptions.readinessPort(System.getenv()));
            System.out.println("waiting for the proxy to be ready (timeout " + wait.timeout().toSeconds() + " s)");
            if (wait.await()) {
                System.out.println("the proxy is ready");
                return 0;
            }
            System.err.println("windlass-proxy wait: the proxy was not ready within " + wait.timeout().toSeconds() + " s");
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("windlass-proxy wait: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            return 1;
        }
    }

    private static void run(Role role, String[] args) {
        ProxyOptions options;
        try {
            options = ProxyOptions.parse(role, args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("windlass-proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        Proxy proxy = new Proxy(options, new SoOriginalDst()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::drainAndStop, "drain"));
        proxy.awaitStopped();
    }
}
