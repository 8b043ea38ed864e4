package dev.windlass.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code iptables-restore --noflush} with the rules on its standard input. */
public final class IptablesRestore {
    public static final String BINARY = "iptables-restore";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Duration timeout;

    public IptablesRestore(Path binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    /**
     * Finds {@value #BINARY} in the directories of a {@code PATH} value.
     *
     * @throws IptablesException if it is in none of them
     */
    public static IptablesRestore onPath(String path, Duration timeout) {
        String dirs = path == null ? "" : path;
        for (String dir : dirs.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, BINARY);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new IptablesRestore(candidate, timeout);
            }
        }
        throw new IptablesException(BINARY + " not found on PATH (" + dirs + ")");
    }

    public Path binary() {
        return binary;
    }

    /** The command line, for messages. */
    public List<String> command() {
        return List.of(binary.toString(), "--noflush");
    }

    /**
     * Applies the rules. Returns iptables-restore's standard output (normally empty).
     *
     * @throws IptablesException if it cannot be started, does not finish in time, or exits non-zero; the message
     *                           carries its standard error
     */
    public String apply(String restoreInput) {
        Process process;
        try {
            process = new ProcessBuilder(command()).start();
        } catch (IOException e) {
            throw new IptablesException("cannot run " + binary + ": " + e.getMessage());
        }
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        writeInput(process, restoreInput);
        int exitCode = awaitExit(process);
        if (exitCode != 0) {
            throw new IptablesException(String.join(" ", command()) + " failed with exit code " + exitCode
                    + ":\n" + stderr.join().strip());
        }
        return stdout.join();
    }

    private static void writeInput(Process process, String input) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // It exited before reading everything; its exit code and standard error tell why.
        }
    }

    private int awaitExit(Process process) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IptablesException(String.join(" ", command()) + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IptablesException("interrupted while waiting for " + BINARY);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(could not read: " + e.getMessage() + ")";
            }
        });
    }
}
