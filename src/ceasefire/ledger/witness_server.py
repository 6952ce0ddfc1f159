"""The HTTP face of a witness (`ceasefire witness serve`): POST /add-checkpoint, per C2SP
tlog-witness. The standard library's threaded server is enough for a handful of logs."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ceasefire.ledger.witness import Answer, Witness

PATH = "/add-checkpoint"
# Far above any real request (63 proof lines and a checkpoint with 100 signatures).
MAX_BODY = 1 << 20


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ceasefire-witness"

        def do_POST(self) -> None:
            if self.path != PATH:
                self._send(Answer(404, b"not found\n"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                self._send(Answer(400, b"a body of at most 1 MiB is required\n"))
                return
            self._send(witness.add_checkpoint(self.rfile.read(length)))

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    return ThreadingHTTPServer((host, port), Handler)
