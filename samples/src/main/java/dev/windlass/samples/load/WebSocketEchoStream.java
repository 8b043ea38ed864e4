package dev.windlass.samples.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A WebSocket (the JDK's client: an HTTP/1.1 GET with Upgrade) whose text messages come back from an echo server. */
final class WebSocketEchoStream extends EchoStream implements WebSocket.Listener {
    private final EchoTally tally;
    private final HttpClient client;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WebSocketEchoStream(EchoTally tally, Duration timeout) {
        this.tally = tally;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Connects and completes the handshake within {@code timeout}. */
    static WebSocketEchoStream open(URI uri, Duration timeout, EchoTally tally) throws Exception {
        WebSocketEchoStream stream = new WebSocketEchoStream(tally, timeout);
        try {
            stream.socket = stream.client.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, stream)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return stream;
        } catch (Exception e) {
            stream.close();
            throw e;
        }
    }

    @Override
    void send(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }

    /** A close frame; the server's close frame in answer ends the stream. */
    @Override
    void requestEnd(long timeoutMillis) throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            tally.echoed(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != WebSocket.NORMAL_CLOSURE) {
            failed("closed with status " + statusCode + " " + reason);
        }
        ended();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failed(String.valueOf(error));
        ended();
    }

    @Override
    public void close() {
        if (socket != null && !isEnded()) {
            socket.abort();
        }
        client.close();
    }
}
