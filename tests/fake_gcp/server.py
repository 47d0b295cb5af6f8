#!/usr/bin/env python3
"""Cloud Logging's entries.list and Google's OAuth token endpoint, on loopback.

For the gardener's live-source integration tests; nothing here reaches Google.

- POST /token: the service-account JWT-bearer grant. The assertion's RS256
  signature is checked against --public-key with the openssl command line
  (the test key's public half), and its claims too (iss, scope, aud = this
  endpoint, exp - iat <= 1 h). A bad signature gets Google's real answer:
  400 {"error":"invalid_grant","error_description":"Invalid JWT Signature."}.
  Also the refresh-token grant of an authorized_user file.
- GET /computeMetadata/v1/...: a metadata server (needs Metadata-Flavor: Google).
- POST /v2/entries:list: resourceNames, filter, orderBy, pageSize, pageToken.
  The filter is parsed with the documented query language (upper-case
  AND/OR/NOT, parentheses, = != < <= > >= : =~ !~, quoted or bare values);
  what it cannot parse gets 400 INVALID_ARGUMENT, like the real API. Entries
  come from --logs (re-read at every first page, so a test can grow the file),
  in timestamp order, at most --max-page per page. Faults on request: the
  first page of each query can be empty with a token (--empty-page), the Nth
  list request can get a 429 RESOURCE_EXHAUSTED (--fail-429 N) or a 503
  (--fail-503 N) once. The server records whether a retry resent the
  identical body and how long it waited (GET /_state).

    python3 server.py --port 0 --port-file PATH --logs logs.ndjson --public-key pub.pem
"""
import argparse
import base64
import datetime as dt
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LOCK = threading.Lock()
ARGS = None
STATE = {
    "token_requests": 0, "token_rejections": 0, "list_requests": 0, "served_429": 0, "served_503": 0,
    "empty_pages": 0, "pages": 0, "entries_served": 0, "filters": [], "violations": [],
    "metadata_requests": 0,
}
TOKENS = set()
SNAPSHOTS = {}
LAST_FAULT = {}  # the body and time of the request answered with a fault

SEVERITIES = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"]
SEVERITY_NUMBERS = {name: i * 100 for i, name in enumerate(SEVERITIES)}


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify_rs256(signing_input, signature, public_key):
    with tempfile.TemporaryDirectory() as d:
        data, sig = os.path.join(d, "data"), os.path.join(d, "sig")
        with open(data, "wb") as f:
            f.write(signing_input)
        with open(sig, "wb") as f:
            f.write(signature)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", public_key, "-signature", sig, data],
                           capture_output=True)
        return r.returncode == 0


# ---------------------------------------------------------------- filters

class FilterError(Exception):
    pass


TOKEN_RE = re.compile(r'''\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>>=|<=|!=|=~|!~|[=<>:()])|(?P<word>[^\s()"=<>:!~]+))''')


def tokenize(text):
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise FilterError(f"Unparseable filter at position {pos}: {text[pos:pos + 20]!r}")
        if m.group("str") is not None:
            raw = m.group("str")[1:-1]
            # \" and \\ escape; other backslashes stay (regexes keep \d).
            out.append(("str", re.sub(r"\\(.)", lambda x: x.group(1) if x.group(1) in '"\\' else x.group(0), raw)))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
        pos = m.end()
    return out


class Parser:
    COMPARATORS = {"=", "!=", "<", "<=", ">", ">=", ":", "=~", "!~"}

    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else (None, None)

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def parse(self):
        if not self.toks:
            return ("true",)
        e = self.expr()
        if self.i != len(self.toks):
            raise FilterError(f"Unparseable filter: unexpected {self.peek()[1]!r}")
        return e

    # Documented precedence: NOT, then OR, then AND (loosest).
    def expr(self):
        left = self.disj()
        while True:
            t = self.peek()
            if t == ("word", "AND"):
                self.take()
                left = ("and", left, self.disj())
            elif t[0] is not None and t != ("op", ")"):
                left = ("and", left, self.disj())  # adjacent comparisons are ANDed
            else:
                return left

    def disj(self):
        left = self.unary()
        while self.peek() == ("word", "OR"):
            self.take()
            left = ("or", left, self.unary())
        return left

    def unary(self):
        t = self.peek()
        if t == ("word", "NOT"):
            self.take()
            return ("not", self.unary())
        if t == ("op", "("):
            self.take()
            e = self.expr()
            if self.take() != ("op", ")"):
                raise FilterError("Unparseable filter: missing ')'")
            return e
        if t[0] == "word" and t[1].lower() in ("and", "or", "not") and t[1] not in ("AND", "OR", "NOT"):
            raise FilterError(f"Unparseable filter: {t[1]!r} must be upper-case")
        return self.comparison()

    def comparison(self):
        kind, text = self.take()
        if kind != "word":
            raise FilterError(f"Unparseable filter: expected a field, got {text!r}")
        path = text
        if path.startswith("-"):
            return ("not", self._finish(path[1:]))
        return self._finish(path)

    def _finish(self, path):
        # labels."k8s-pod/app": a quoted segment right after a dot.
        while path.endswith(".") and self.peek()[0] == "str":
            path += '"' + self.take()[1] + '"'
        op = self.peek()
        if op[0] != "op" or op[1] not in self.COMPARATORS:
            raise FilterError(f"Unparseable filter: {path!r} is not followed by a comparison "
                              "(global restrictions are not supported here)")
        self.take()
        if self.peek() == ("op", "("):  # field = ("a" OR "b")
            self.take()
            values = [self.value()]
            while self.peek() == ("word", "OR"):
                self.take()
                values.append(self.value())
            if self.take() != ("op", ")"):
                raise FilterError("Unparseable filter: missing ')' after values")
            return ("any", [("cmp", split_path(path), op[1], v) for v in values])
        return ("cmp", split_path(path), op[1], self.value())

    def value(self):
        kind, text = self.take()
        if kind in ("str", "word"):
            return text
        raise FilterError(f"Unparseable filter: expected a value, got {text!r}")


def split_path(path):
    parts, cur, quoted = [], "", False
    for c in path:
        if c == '"':
            quoted = not quoted
        elif c == "." and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    return parts


def parse_time(s):
    s = s.strip()
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", s)
    if not m:
        raise FilterError(f"Unparseable filter: bad timestamp {s!r}")
    frac = (m.group(3) or ".0")[1:]
    nanos = int((frac + "000000000")[:9])
    zone = m.group(4) or "Z"
    base = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{'+00:00' if zone == 'Z' else zone}")
    return int(base.timestamp()) * 1_000_000_000 + nanos


def lookup(entry, path):
    v = entry
    for p in path:
        if isinstance(v, dict) and p in v:
            v = v[p]
        else:
            return None
    return v


def severity_rank(v):
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        if v.upper() in SEVERITY_NUMBERS:
            return SEVERITY_NUMBERS[v.upper()]
        if v.isdigit():
            return int(v)
    raise FilterError(f"Unparseable filter: bad severity {v!r}")


def compare(a, op, b):
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def evaluate(node, entry):
    kind = node[0]
    if kind == "true":
        return True
    if kind == "and":
        return evaluate(node[1], entry) and evaluate(node[2], entry)
    if kind == "or":
        return evaluate(node[1], entry) or evaluate(node[2], entry)
    if kind == "not":
        return not evaluate(node[1], entry)
    if kind == "any":
        return any(evaluate(n, entry) for n in node[1])
    _, path, op, want = node
    have = lookup(entry, path)
    if path == ["severity"]:
        return compare(severity_rank(have if have is not None else "DEFAULT"), op, severity_rank(want))
    if have is None:
        return op == "!=" or op == "!~"
    if path[-1] in ("timestamp", "receiveTimestamp") and op in ("=", "!=", "<", "<=", ">", ">="):
        return compare(parse_time(have), op, parse_time(want))
    text = have if isinstance(have, str) else json.dumps(have)
    if op == ":":
        return want == "*" or want.lower() in text.lower()
    if op == "=~":
        return re.search(want, text) is not None
    if op == "!~":
        return re.search(want, text) is None
    return compare(text.lower(), op, want.lower())


# ---------------------------------------------------------------- server

def load_entries(path):
    """NDJSON or a gcloud JSON array."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def error(code, status, message):
    return code, {"error": {"code": code, "message": message, "status": status}}


QUOTA_DETAILS = [{
    "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
    "domain": "googleapis.com",
    "metadata": {"consumer": "projects/123", "quota_limit": "ReadRequestsPerMinutePerProject",
                 "quota_limit_value": "60", "quota_location": "global",
                 "quota_metric": "logging.googleapis.com/read_requests", "service": "logging.googleapis.com"},
}]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, obj, headers=()):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        if self.path == "/_state":
            with LOCK:
                return self.reply(200, STATE)
        if self.path.startswith("/computeMetadata/v1/"):
            if self.headers.get("Metadata-Flavor") != "Google":
                return self.reply(403, {"error": "Missing Metadata-Flavor: Google header"})
            if self.path == "/computeMetadata/v1/project/project-id":
                body = b"netra-staging"
                self.send_response(200)
                self.send_header("Metadata-Flavor", "Google")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return self.wfile.write(body)
            if self.path.startswith("/computeMetadata/v1/instance/service-accounts/default/token"):
                with LOCK:
                    STATE["metadata_requests"] += 1
                    token = f"metadata-token-{len(TOKENS)}"
                    TOKENS.add(token)
                return self.reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"},
                                  [("Metadata-Flavor", "Google")])
        return self.reply(404, {"error": "not found"})

    def do_POST(self):
        raw = self.body()
        if self.path == "/token":
            return self.token(raw)
        if self.path == "/v2/entries:list":
            return self.list(raw)
        return self.reply(404, error(404, "NOT_FOUND", "not found")[1])

    def token(self, raw):
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with LOCK:
            STATE["token_requests"] += 1
        grant = form.get("grant_type")
        if grant == "refresh_token":
            if form.get("refresh_token") != ARGS.refresh_token:
                with LOCK:
                    STATE["token_rejections"] += 1
                return self.reply(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        elif grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            parts = form.get("assertion", "").split(".")
            problem = None
            if len(parts) != 3:
                problem = "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe."
            else:
                try:
                    header = json.loads(b64url_decode(parts[0]))
                    claims = json.loads(b64url_decode(parts[1]))
                    sig = b64url_decode(parts[2])
                except Exception:
                    header, claims, sig = {}, {}, b""
                aud = f"http://{self.headers.get('Host')}/token"
                if header.get("alg") != "RS256" or not verify_rs256(f"{parts[0]}.{parts[1]}".encode(), sig,
                                                                    ARGS.public_key):
                    problem = "Invalid JWT Signature."
                elif claims.get("iss") != ARGS.client_email:
                    problem = "Invalid JWT: iss is not the key's client_email."
                elif "https://www.googleapis.com/auth/logging.read" not in claims.get("scope", "").split():
                    problem = "Invalid JWT: scope must include logging.read."
                elif claims.get("aud") != aud:
                    problem = f"Invalid JWT: aud must be {aud}."
                elif not (0 < claims.get("exp", 0) - claims.get("iat", 0) <= 3600):
                    problem = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
            if problem:
                with LOCK:
                    STATE["token_rejections"] += 1
                return self.reply(400, {"error": "invalid_grant", "error_description": problem})
        else:
            return self.reply(400, {"error": "unsupported_grant_type", "error_description": str(grant)})
        with LOCK:
            token = f"ya29.test-{len(TOKENS)}"
            TOKENS.add(token)
        return self.reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def list(self, raw):
        auth = self.headers.get("Authorization", "")
        with LOCK:
            STATE["list_requests"] += 1
            n = STATE["list_requests"]
            now = time.monotonic()
            if LAST_FAULT:
                if raw != LAST_FAULT["body"]:
                    STATE["violations"].append(f"request {n}: the retry after a {LAST_FAULT['code']} changed the body")
                waited = now - LAST_FAULT["at"]
                if LAST_FAULT["code"] == 429 and waited < 1.0:
                    STATE["violations"].append(f"request {n}: retried {waited:.2f} s after a 429 (< 1 s)")
                LAST_FAULT.clear()
        if not auth.startswith("Bearer ") or auth[7:] not in TOKENS:
            return self.reply(*error(401, "UNAUTHENTICATED",
                                     "Request had invalid authentication credentials. Expected OAuth 2 access token."))
        if n == ARGS.fail_429:
            with LOCK:
                STATE["served_429"] += 1
                LAST_FAULT.update(code=429, body=raw, at=now)
            code, obj = error(429, "RESOURCE_EXHAUSTED",
                              "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' "
                              "of service 'logging.googleapis.com' for consumer 'project_number:123'.")
            obj["error"]["details"] = QUOTA_DETAILS
            return self.reply(code, obj)
        if n == ARGS.fail_503:
            with LOCK:
                STATE["served_503"] += 1
                LAST_FAULT.update(code=503, body=raw, at=now)
            return self.reply(*error(503, "UNAVAILABLE", "The service is currently unavailable."))
        try:
            req = json.loads(raw)
        except ValueError:
            return self.reply(*error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."))
        names = req.get("resourceNames") or []
        projects = [r.split("/", 1)[1] for r in names if r.startswith("projects/")]
        if not projects or len(projects) != len(names):
            return self.reply(*error(400, "INVALID_ARGUMENT", "resourceNames must name projects/PROJECT_ID"))
        page_size = req.get("pageSize", 50)
        if not isinstance(page_size, int) or not 0 < page_size <= 1000:
            return self.reply(*error(400, "INVALID_ARGUMENT", "pageSize must be between 1 and 1000"))
        if req.get("orderBy", "timestamp asc") not in ("timestamp asc", "timestamp desc"):
            return self.reply(*error(400, "INVALID_ARGUMENT", "orderBy must be 'timestamp asc' or 'timestamp desc'"))
        token = req.get("pageToken")
        if token:
            with LOCK:
                snap = SNAPSHOTS.get(token.split(":")[0])
            if snap is None or snap["body"] != {k: v for k, v in req.items() if k != "pageToken"}:
                return self.reply(*error(400, "INVALID_ARGUMENT", "page token does not match the request"))
            offset = int(token.split(":")[1])
        else:
            filt = req.get("filter", "")
            try:
                tree = Parser(filt).parse()
                entries = [e for e in load_entries(ARGS.logs)
                           if e.get("logName", "").split("/")[1:2] and e["logName"].split("/")[1] in projects
                           and evaluate(tree, e)]
            except FilterError as ex:
                return self.reply(*error(400, "INVALID_ARGUMENT", str(ex)))
            entries.sort(key=lambda e: (parse_time(e["timestamp"]), e.get("insertId", "")),
                         reverse=req.get("orderBy") == "timestamp desc")
            with LOCK:
                sid = f"s{len(SNAPSHOTS)}"
                SNAPSHOTS[sid] = {"entries": entries, "body": {k: v for k, v in req.items() if k != "pageToken"}}
                STATE["filters"].append(filt)
                snap = SNAPSHOTS[sid]
            if ARGS.empty_page:
                with LOCK:
                    STATE["empty_pages"] += 1
                    STATE["pages"] += 1
                return self.reply(200, {"nextPageToken": f"{sid}:0"})
            token, offset = f"{sid}:0", 0
        sid = token.split(":")[0]
        size = min(page_size, ARGS.max_page)
        page = snap["entries"][offset:offset + size]
        out = {"entries": page} if page else {}
        if offset + size < len(snap["entries"]):
            out["nextPageToken"] = f"{sid}:{offset + size}"
        with LOCK:
            STATE["pages"] += 1
            STATE["entries_served"] += len(page)
        return self.reply(200, out)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--logs", required=True)
    ap.add_argument("--public-key", required=True)
    ap.add_argument("--client-email", default="gardener@netra-staging.iam.gserviceaccount.com")
    ap.add_argument("--refresh-token", default="test-refresh-token")
    ap.add_argument("--max-page", type=int, default=1000)
    ap.add_argument("--empty-page", action="store_true")
    ap.add_argument("--fail-429", type=int, default=0)
    ap.add_argument("--fail-503", type=int, default=0)
    ARGS = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(tmp, ARGS.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
