package dev.windlass.proxy.http;

import dev.windlass.proxy.telemetry.ProxyStats;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The proxy's HTTP/2 frame codecs, downstream (h2c from apps and gateways' clients) and upstream (h2c to
 * endpoints), with every check Netty has turned on: header validation (names, values: no NUL, CR or LF, which an
 * HTTP/1.1 app must never be sent, connection-specific fields, pseudo-headers present, known and before the
 * regular fields, none in trailers; a bad request resets its stream), content-length against the
 * DATA frames, HPACK bounds (the dynamic table at 4 KiB, the decoded header list at 60 KiB: a decompression bomb
 * ends at the limit), and floods: empty DATA frames and RST_STREAM frames as set here, small CONTINUATION frames
 * (16) and queued control frames such as PING and SETTINGS acknowledgements (10,000) at Netty's defaults.
 */
final class Http2Codecs {
    /** Streams one downstream connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
    static final int MAX_CONCURRENT_STREAMS = 1000;
    /** Envoy's default for max_consecutive_inbound_frames_with_empty_payload. */
    static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 1;
    /** The HPACK dynamic table the peer may make us keep (SETTINGS_HEADER_TABLE_SIZE, RFC 7541's default). */
    static final int HEADER_TABLE_SIZE = 4096;
    /**
     * Rapid reset (CVE-2023-44487): more RST_STREAM frames than this from a client within the window close its
     * connection with GOAWAY ENHANCE_YOUR_CALM (Netty's server default, stated here).
     */
    static final int MAX_RST_FRAMES_PER_WINDOW = 200;
    static final int RST_WINDOW_SECONDS = 30;

    private Http2Codecs() {
    }

    /** The frame codec of an h2c connection from a client, with the stream-state rules Netty leaves out. */
    static Http2FrameCodec downstream(ProxyStats stats) {
        Http2StreamStateGuard guard = new Http2StreamStateGuard(stats);
        Http2FrameCodec codec = strict(Http2FrameCodecBuilder.forServer())
                .initialSettings(settings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES_PER_WINDOW, RST_WINDOW_SECONDS)
                .frameLogger(guard).build();
        guard.guard(codec.connection());
        return codec;
    }

    /** The frame codec of an h2c connection to an endpoint. */
    static Http2FrameCodec upstream() {
        return strict(Http2FrameCodecBuilder.forClient()).initialSettings(settings().pushEnabled(false)).build();
    }

    private static Http2Settings settings() {
        return Http2Settings.defaultSettings().headerTableSize(HEADER_TABLE_SIZE)
                .maxHeaderListSize(HttpLimits.MAX_HEADER_SIZE);
    }

    private static Http2FrameCodecBuilder strict(Http2FrameCodecBuilder builder) {
        return builder.validateHeaders(true).validateRequiredPseudoHeaders(true)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES);
    }
}
