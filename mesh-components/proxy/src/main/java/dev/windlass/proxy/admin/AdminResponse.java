package dev.windlass.proxy.admin;

/** A response of the admin, readiness or metrics endpoints. */
public record AdminResponse(int status, String contentType, String body) {

    public static AdminResponse text(int status, String body) {
        return new AdminResponse(status, "text/plain; charset=utf-8", body);
    }

    public static AdminResponse json(String body) {
        return new AdminResponse(200, "application/json", body);
    }

    public static AdminResponse prometheus(String body) {
        return new AdminResponse(200, "text/plain; version=0.0.4; charset=utf-8", body);
    }
}
