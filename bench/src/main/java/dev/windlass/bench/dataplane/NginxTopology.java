package dev.windlass.bench.dataplane;

import java.nio.file.Path;
import java.util.List;

/** (c) nginx (Debian's nginx-light) as the two reverse proxies, keep-alive to its upstream. */
public final class NginxTopology extends ReverseProxyTopology {
    NginxTopology(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    protected String config(Path dir, int listenPort, String upstream) {
        String temp = dir.resolve("tmp").toString();
        return """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    upstream app {
                        server %4$s;
                        keepalive 64;
                    }
                    server {
                        listen %3$d;
                        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(dir, temp, listenPort, upstream);
    }

    @Override
    protected List<String> command(Path dir, Path configFile) {
        return List.of("nginx", "-e", dir.resolve("error.log").toString(), "-p", dir.toString(), "-c", configFile.toString());
    }
}
