package dev.windlass.proxy.config.jwt;

/**
 * The outcome of verifying a JWT, with the text Envoy's jwt_authn filter answers a refused request with
 * (jwt_verify_lib's status strings) and its HTTP status: 403 for an audience that is not allowed, else 401.
 */
public enum JwtStatus {
    OK("OK"),
    MISSING("Jwt is missing"),
    NOT_YET_VALID("Jwt not yet valid"),
    EXPIRED("Jwt is expired"),
    BAD_FORMAT("Jwt is not in the form of Header.Payload.Signature"),
    HEADER_PARSE_ERROR("Jwt header is an invalid Base64url input or an invalid JSON"),
    HEADER_BAD_ALG("Jwt header [alg] field is not a string"),
    HEADER_NOT_IMPLEMENTED_ALG("Jwt header [alg] field value is invalid"),
    HEADER_BAD_KID("Jwt header [kid] field is not a string"),
    PAYLOAD_PARSE_ERROR("Jwt payload is an invalid Base64 or an invalid JSON"),
    SIGNATURE_PARSE_ERROR("Jwt signature is an invalid Base64"),
    UNKNOWN_ISSUER("Jwt issuer is not configured"),
    AUDIENCE_NOT_ALLOWED("Audiences in Jwt are not allowed"),
    VERIFICATION_FAIL("Jwt verification fails"),
    KID_ALG_MISMATCH("Jwks doesn't have key to match kid or alg from Jwt");

    private final String text;

    JwtStatus(String text) {
        this.text = text;
    }

    /** The body of the local reply, as Envoy writes it. */
    public String text() {
        return text;
    }

    public int httpStatus() {
        return this == AUDIENCE_NOT_ALLOWED ? 403 : 401;
    }
}
