package dev.windlass.samples.streamecho;

import io.grpc.Server;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The stream-echo role: a WebSocket echo (env {@code WS_PORT}, default 8080) and a gRPC bidirectional echo
 * (env {@code GRPC_PORT}, default 9090) in one process, for long-lived streams through the mesh. With env
 * {@code DROP_MESSAGE=N} both leave the N-th message (from 0) of every connection or stream unanswered.
 */
public final class StreamEcho implements AutoCloseable {
    public static final int WS_PORT = 8080;
    public static final int GRPC_PORT = 9090;

    private final WebSocketEcho websocket;
    private final Server grpc;

    private StreamEcho(WebSocketEcho websocket, Server grpc) {
        this.websocket = websocket;
        this.grpc = grpc;
    }

    public static void main(String[] args) throws Exception {
        StreamEcho echo = start(port("WS_PORT", WS_PORT), port("GRPC_PORT", GRPC_PORT),
                DropRule.fromEnv(System.getenv("DROP_MESSAGE")), System.out);
        echo.grpc.awaitTermination();
    }

    /** Starts both servers (0 picks a free port) and says where they listen on {@code log}. */
    public static StreamEcho start(int wsPort, int grpcPort, DropRule drop, PrintStream log) throws IOException, InterruptedException {
        WebSocketEcho websocket = WebSocketEcho.start(wsPort, drop);
        try {
            StreamEcho echo = new StreamEcho(websocket, GrpcEcho.start(grpcPort, drop));
            log.printf("stream-echo: WebSocket on %d (path %s), gRPC on %d%s%n", echo.wsPort(), EchoProtocol.WEBSOCKET_PATH,
                    echo.grpcPort(), drop.index() < 0 ? "" : ", dropping message " + drop.index() + " of each stream");
            return echo;
        } catch (IOException | RuntimeException e) {
            websocket.close();
            throw e;
        }
    }

    public int wsPort() {
        return websocket.port();
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    @Override
    public void close() {
        grpc.shutdownNow();
        websocket.close();
    }

    private static int port(String env, int otherwise) {
        String value = System.getenv(env);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.strip());
    }
}
