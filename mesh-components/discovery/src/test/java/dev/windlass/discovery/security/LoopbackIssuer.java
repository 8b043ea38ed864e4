package dev.windlass.discovery.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token issuer on loopback (the JDK's HttpServer): its OpenID configuration ({@code jwks_uri}) and its JWKS, which
 * a test replaces or makes fail. Nothing leaves the machine.
 */
public final class LoopbackIssuer implements AutoCloseable {
    private final HttpServer server;
    private volatile String jwks;
    private volatile int status = 200;
    private final AtomicInteger jwksRequests = new AtomicInteger();

    public LoopbackIssuer(String jwks) throws IOException {
        this.jwks = jwks;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            answer(exchange, status, status == 200 ? this.jwks : "unavailable");
        });
        server.createContext(JwksSource.OPENID_CONFIGURATION, exchange -> answer(exchange, 200,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}"));
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwksUri() {
        return issuer() + "/jwks.json";
    }

    /** From now on the JWKS is {@code next}, answered 200. */
    public void serve(String next) {
        this.jwks = next;
        this.status = 200;
    }

    /** From now on the JWKS is answered with this status and no keys. */
    public void fail(int failure) {
        this.status = failure;
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JWKS of these public keys (RSA or EC P-256), with kids {@code k0, k1...}; extra JWK objects appended as they are. */
    public static String jwks(List<PublicKey> keys, String... extra) {
        List<String> jwk = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            jwk.add(switch (keys.get(i)) {
                case RSAPublicKey rsa -> "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"kid\":\"k" + i + "\",\"n\":\"" + b64(rsa.getModulus())
                        + "\",\"e\":\"" + b64(rsa.getPublicExponent()) + "\"}";
                case ECPublicKey ec -> "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k" + i + "\",\"x\":\"" + b64(ec.getW().getAffineX())
                        + "\",\"y\":\"" + b64(ec.getW().getAffineY()) + "\"}";
                default -> throw new IllegalArgumentException(keys.get(i).getAlgorithm());
            });
        }
        jwk.addAll(Arrays.asList(extra));
        return "{\"keys\":[" + String.join(",", jwk) + "]}";
    }

    public static PublicKey rsaKey() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPublic();
    }

    /** The start of an RSA key's modulus as its JWK writes it: enough to tell keys apart in a JWKS. */
    public static String modulus(PublicKey key) {
        return b64(((RSAPublicKey) key).getModulus()).substring(0, 40);
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
