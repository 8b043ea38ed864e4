package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JSON files of a run, each with the meta.json (date, commit, machine) of the run that wrote it. A part the
 * given run did not measure (bench/run data-plane measures no control plane) comes from the newest earlier run
 * under the same parent directory that did; the smoke run's directory is never used.
 */
final class Results {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One part's data and the meta of the run it came from. */
    record Part(JsonNode data, JsonNode meta, Path dir) {
    }

    private final Path run;

    Results(Path run) {
        this.run = run;
    }

    JsonNode meta() throws IOException {
        return JSON.readTree(run.resolve("meta.json").toFile());
    }

    Optional<Part> part(String file) throws IOException {
        Path dir = Files.exists(run.resolve(file)) ? run : newestWith(file);
        if (dir == null) {
            return Optional.empty();
        }
        return Optional.of(new Part(JSON.readTree(dir.resolve(file).toFile()), JSON.readTree(dir.resolve("meta.json").toFile()), dir));
    }

    private Path newestWith(String file) throws IOException {
        try (Stream<Path> runs = Files.list(run.toAbsolutePath().getParent())) {
            return runs.filter(d -> !d.getFileName().toString().equals("smoke"))
                    .filter(d -> Files.exists(d.resolve(file)) && Files.exists(d.resolve("meta.json")))
                    .max(Comparator.comparing(d -> d.getFileName().toString())).orElse(null);
        }
    }
}
