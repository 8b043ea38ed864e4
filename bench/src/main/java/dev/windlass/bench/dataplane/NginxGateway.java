package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** nginx (Debian's nginx-light) as the TLS-terminating reverse proxy: 2 workers, keep-alive upstream, no access log. */
final class NginxGateway extends GatewayTopology {
    NginxGateway(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    protected Process startProxy(Path certificates) throws Exception {
        Path dir = logDir.resolve("gateway-nginx");
        Files.createDirectories(dir.resolve("tmp"));
        Path config = Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    upstream app {
                        server 127.0.0.1:%2$d;
                        keepalive 64;
                    }
                    server {
                        listen %3$d;
                        listen %4$d ssl;
                        ssl_certificate %5$s/tls.crt;
                        ssl_certificate_key %5$s/tls.key;
                        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(dir, APP_PORT, PLAIN_PORT, TLS_PORT, certificates));
        Cmd.run(List.of("chown", "-R", "1337:1337", dir.toString()));
        return start(pods.server(), "gateway", asProxyUser(List.of("nginx", "-e", dir.resolve("error.log").toString(),
                "-p", dir.toString(), "-c", config.toString())), Map.of());
    }
}
