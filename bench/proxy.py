"""A small round-robin HTTP reverse proxy for the multi-node bench (loopback only).

    python bench/proxy.py 8180 127.0.0.1:8181 127.0.0.1:8182

Each request goes to the next backend in turn; a backend that refuses the connection is skipped
(the request is tried on the next one), so stopping one web server does not fail requests.
Sets X-Forwarded-For and X-Request-ID, streams bodies both ways. Not for production: use nginx
(deploy/nginx.conf) or the platform's load balancer.
"""

from __future__ import annotations

import http.client
import itertools
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


def make_handler(backends: list[tuple[str, int]]):
    turn = itertools.cycle(range(len(backends)))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: the web servers log every request
            pass

        def _proxy(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-For"] = self.client_address[0]
            headers.setdefault("X-Request-ID", uuid.uuid4().hex)
            with lock:
                first = next(turn)
            for attempt in range(len(backends)):
                host, port = backends[(first + attempt) % len(backends)]
                conn = http.client.HTTPConnection(host, port, timeout=120)
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                except (ConnectionRefusedError, ConnectionResetError):
                    conn.close()
                    continue
                self.send_response(response.status, response.reason)
                data = response.read()
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Collis-Backend", str(port))
                self.end_headers()
                self.wfile.write(data)
                conn.close()
                return
            self.send_error(502, "no backend answered")

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _proxy

    return Handler


def serve(port: int, backends: list[str]) -> ThreadingHTTPServer:
    pairs = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in backends]
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(pairs))
    server.daemon_threads = True
    return server


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2:]).serve_forever()
