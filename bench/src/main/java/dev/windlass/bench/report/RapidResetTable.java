package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The rapid-reset samples of data-plane.json (issue 25 must-show 3), one row per repetition. */
final class RapidResetTable {
    private RapidResetTable() {
    }

    static String section(JsonNode root) {
        JsonNode samples = root.path("rapidReset");
        if (samples.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n**Rapid reset** (issue 25: fortio at 100 requests/s on one connection through "
                + "the Windlass pair, alone and then while a client in the client pod floods the server sidecar's inbound with "
                + "HEADERS+RST_STREAM CANCEL pairs, up to 10,000 per connection: `EVERY_500_MS` opens one such connection every "
                + "500 ms (the issue's shape), `STORM` opens the next as soon as one is closed; the target is p99 flooded within "
                + "2× alone, and every flood connection closed with GOAWAY ENHANCE_YOUR_CALM, code 11, which the server "
                + "sidecar's flood counter counts: the client often reads a TCP reset instead, the GOAWAY lost with the "
                + "pairs the sidecar did not read):\n\n"
                + "| repetition | flood | p99 alone, ms | p99 flooded, ms | ratio | errors flooded | flood connections | pairs written "
                + "| GOAWAY codes (code: connections) | closed without GOAWAY | server sidecar flood counter | server sidecar CPU s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode sample : samples) {
            double alone = sample.path("idle").path("p99").asDouble();
            double flooded = sample.path("flooded").path("p99").asDouble();
            JsonNode flood = sample.path("flood");
            md.append(String.format(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.2f | %d | %d | %d | %s | %d | +%d | %.1f |%n",
                    sample.path("repeat").asInt(), sample.path("mode").asText(), alone, flooded, flooded / alone, sample.path("flooded").path("errors").asLong(),
                    flood.path("connections").asInt(), flood.path("pairsWritten").asLong(), flood.path("goawayCodes"),
                    flood.path("closedWithoutGoaway").asInt(), sample.path("floodCounter").asLong(),
                    sample.path("serverCpuSeconds").asDouble()));
        }
        return md.toString();
    }
}
