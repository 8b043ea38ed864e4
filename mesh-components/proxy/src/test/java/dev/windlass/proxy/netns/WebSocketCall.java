package dev.windlass.proxy.netns;

import dev.windlass.proxy.testing.WebSocketClient;

import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client run in the client pod: handshakes with {@code ws://HOST:PORT/ws}, sends MESSAGES text
 * messages, checks each echo arrives in order, sends a close frame and waits for the server's close frame and the
 * end of the connection. Prints what it saw; exits 1 at the first thing that differs. Usage:
 * {@code WebSocketCall HOST PORT MESSAGES}.
 */
public final class WebSocketCall {
    private WebSocketCall() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        try (WebSocketClient client = new WebSocketClient(args[0], port, args[0] + ":" + port, "/ws")) {
            client.handshake().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < messages; i++) {
                client.sendText("message " + i);
            }
            for (int i = 0; i < messages; i++) {
                String echoed = client.next(10);
                if (!("text:message " + i).equals(echoed)) {
                    fail("echo " + i + " was " + echoed);
                }
            }
            client.sendClose();
            String close = client.next(10);
            if (!"close:1000".equals(close) || !client.awaitClosed(10)) {
                fail("after the close frame: " + close + ", closed " + client.awaitClosed(0));
            }
            System.out.print("echoed " + messages + " in order, close frame relayed, closed");
        }
        System.exit(0);
    }

    private static void fail(String what) {
        System.out.print("failed: " + what);
        System.exit(1);
    }
}
