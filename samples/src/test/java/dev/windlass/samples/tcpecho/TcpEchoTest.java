package dev.windlass.samples.tcpecho;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tcp-echo role on loopback sockets. */
class TcpEchoTest {
    @Test
    void answersEveryLineWithThePrefixOnEveryPortAndKeepsTheConnection() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TcpEcho echo = TcpEcho.start("one", List.of(0, 0, 0), new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertThat(echo.ports()).hasSize(3).doesNotHaveDuplicates();
            for (int port : echo.ports()) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(5000);
                    OutputStream out = socket.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(in.readLine()).isEqualTo("one hello");
                    out.write("world\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(in.readLine()).as("same connection, second line").isEqualTo("one world");
                }
            }
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("tcp-echo one: hello");
        }
    }

    @Test
    void theListenersKeepTheProgramRunning() throws Exception {
        try (TcpEcho echo = TcpEcho.start("one", List.of(0), new PrintStream(new ByteArrayOutputStream()))) {
            String name = "tcp-echo-" + echo.ports().getFirst();
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals(name))
                    .singleElement().satisfies(t -> assertThat(t.isDaemon()).as("a daemon would let main return and the JVM exit").isFalse());
        }
    }

    @Test
    void aLastLineWithoutNewlineIsAnsweredWhenTheClientHalfCloses() throws Exception {
        try (TcpEcho echo = TcpEcho.start("two", List.of(0), new PrintStream(new ByteArrayOutputStream()));
             Socket socket = new Socket("127.0.0.1", echo.ports().getFirst())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two bye\n");
        }
    }
}
