#!/usr/bin/env python3
"""A GitHub-like issue API on loopback, for the gardener's integration tests.

Speaks the subset of REST v3 the GitHub tracker uses (issues with Link
pagination, comments, search), checks the headers GitHub requires, and can
inject the faults a real run meets: a 502 after the issue was created (the
client must look before posting again), secondary rate limits with
retry-after, and 422 for bodies that are too long. Control endpoints (not
GitHub's): POST /_seed, GET /_state, POST /_inject, POST /_config.

    python3 server.py --port 0 --port-file PATH   # writes the chosen port
"""
import argparse
import os
import signal
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
STATE = {"issues": [], "comments": {}, "requests": [], "injections": [], "config": {"max_body": 65536}}
TOKEN = "test-token-not-a-secret"


def issue_json(i, base):
    return {
        "number": i["number"], "title": i["title"], "body": i["body"], "state": i["state"],
        "labels": [{"name": l} for l in i["labels"]], "created_at": i["created_at"],
        "closed_at": i.get("closed_at"), "html_url": f"{base}/acme/issues/{i['number']}",
        "id": 1000 + i["number"],
    }


def kill_client():
    """SIGKILLs every process whose command line holds the configured marker
    (the gardener under test, started with it in an argument)."""
    marker = STATE["config"]["kill"]["marker"].encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker in f.read():
                    os.kill(int(pid), signal.SIGKILL)
                    STATE["config"]["kill"]["killed"] = STATE["config"]["kill"].get("killed", 0) + 1
        except OSError:
            pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        kill = getattr(self, "kill_phase", None)
        if kill == "before-reply":
            kill_client()  # the request took effect; the client never hears of it
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-limit", "5000")
        self.send_header("x-ratelimit-remaining", "4999")
        self.send_header("x-ratelimit-reset", str(int(time.time()) + 3600))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        if kill == "after-reply":
            kill_client()  # the client got the answer but had no time to record it

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return raw, (json.loads(raw) if raw else None)

    def injection(self, method, path):
        for inj in STATE["injections"]:
            if inj["count"] > 0 and inj.get("method", method) == method and inj.get("path_contains", "") in path:
                inj["count"] -= 1
                return inj["kind"]
        return None

    def handle_any(self, method):
        url = urlparse(self.path)
        path, query = url.path, parse_qs(url.query)
        raw, data = self.body() if method == "POST" else (b"", None)
        base = f"http://{self.headers.get('Host')}"
        with LOCK:
            if path.startswith("/_"):
                return self.control(method, path, data)
            STATE["requests"].append({"t": time.time(), "method": method, "path": self.path,
                                      "host": self.headers.get("Host"),
                                      "auth": self.headers.get("Authorization"),
                                      "ua": self.headers.get("User-Agent"), "body": raw.decode("utf-8", "replace")})
            crash = STATE["config"].get("kill")
            if crash:
                crash["seen"] = crash.get("seen", 0) + 1
                if crash["seen"] == crash["at"]:
                    self.kill_phase = crash["phase"]
            if not self.headers.get("User-Agent"):
                return self.reply(403, {"message": "Request forbidden by administrative rules. Please make sure your request has a User-Agent header"})
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.reply(401, {"message": "Bad credentials"})
            kind = self.injection(method, path)
            if kind == "redirect-other-host":
                # Same server, another host name: a client must not carry the token there.
                port = self.server.server_address[1]
                return self.reply(307, {"message": "Temporary Redirect"},
                                  {"Location": f"http://localhost:{port}{self.path}"})
            if kind == "secondary":
                return self.reply(403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
                                  {"retry-after": "1"})
            if kind == "502-before":
                return self.reply(502, {"message": "Server Error"})
            m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues", path)
            if m and method == "GET":
                per = int(query.get("per_page", ["30"])[0]); page = int(query.get("page", ["1"])[0])
                items = sorted(STATE["issues"], key=lambda i: i["number"])
                chunk = items[(page - 1) * per: page * per]
                headers = {}
                if page * per < len(items):
                    q = dict((k, v[0]) for k, v in query.items()); q["page"] = str(page + 1)
                    nxt = f"{base}{path}?" + "&".join(f"{k}={v}" for k, v in q.items())
                    headers["Link"] = f'<{nxt}>; rel="next"'
                return self.reply(200, [issue_json(i, base) for i in chunk], headers)
            if m and method == "POST":
                if len(data.get("body") or "") > STATE["config"]["max_body"]:
                    return self.reply(422, {"message": "Validation Failed", "errors": [{"resource": "Issue", "code": "custom", "field": "body", "message": "body is too long (maximum is 65536 characters)"}]})
                n = max([i["number"] for i in STATE["issues"]] + [0]) + 1
                issue = {"number": n, "title": data["title"], "body": data.get("body") or "", "state": "open",
                         "labels": data.get("labels") or [], "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                STATE["issues"].append(issue)
                if kind == "502-after":
                    return self.reply(502, {"message": "Server Error"})
                return self.reply(201, issue_json(issue, base))
            m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", path)
            if m:
                n = int(m.group(3))
                if not any(i["number"] == n for i in STATE["issues"]):
                    return self.reply(404, {"message": "Not Found"})
                comments = STATE["comments"].setdefault(str(n), [])
                if method == "GET":
                    return self.reply(200, [{"id": c["id"], "body": c["body"], "created_at": c["created_at"]} for c in comments])
                c = {"id": 5000 + sum(len(v) for v in STATE["comments"].values()), "body": data["body"],
                     "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                comments.append(c)
                if kind == "502-after":
                    return self.reply(502, {"message": "Server Error"})
                return self.reply(201, {"id": c["id"], "body": c["body"], "created_at": c["created_at"]})
            if path == "/search/issues":
                q = query.get("q", [""])[0]
                words = [w for w in q.split() if not w.startswith("repo:")]
                hits = [i for i in STATE["issues"] if all(w.lower() in (i["title"] + " " + i["body"]).lower() for w in words)]
                return self.reply(200, {"total_count": len(hits), "items": [issue_json(i, base) for i in hits]})
            return self.reply(404, {"message": "Not Found"})

    def control(self, method, path, data):
        if path == "/_seed":
            STATE["issues"] = [dict(i, labels=i.get("labels", []), body=i.get("body", "")) for i in data["issues"]]
            STATE["comments"] = {}; STATE["requests"] = []; STATE["injections"] = []
            return self.reply(200, {"ok": True})
        if path == "/_inject":
            STATE["injections"].append(data)
            return self.reply(200, {"ok": True})
        if path == "/_config":
            STATE["config"].update(data)
            return self.reply(200, {"ok": True})
        if path == "/_state":
            return self.reply(200, STATE)
        return self.reply(404, {"message": "unknown control endpoint"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


def main():
    global TOKEN
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--token", default=TOKEN, help="the token the API accepts")
    ap.add_argument("--tls-cert", help="serve HTTPS with this (self-signed) certificate")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    TOKEN = a.token
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    if a.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(srv.server_address[1]))
        import os
        os.replace(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
