#!/usr/bin/env python3
"""Writes examples/cloud-run-export.json: one hour of a made-up Cloud Run
service ("checkout-api") as `gcloud logging read --format=json` prints it
(a pretty-printed array, keys sorted, newest first). Deterministic: the same
bytes every time, so the golden tests can pin the reports made from it.

Run it only to change the example: python3 examples/make_example.py
"""
import json
import random
from datetime import datetime, timedelta, timezone

rng = random.Random(20250915)
PROJECT = "acme-shop-prod"
HOUR = datetime(2025, 9, 15, 15, 0, 0, tzinfo=timezone.utc)
entries = []
INSTANCES = ["00f46b9285" + "%0118x" % rng.randrange(16**118) for _ in range(3)]


def ts(dt, digits=6):
    frac = f"{dt.microsecond:06d}"
    if digits == 9:
        frac += f"{rng.randrange(1000):03d}"
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"


def insert_id(dt):
    return f"{int(dt.timestamp()):08x}{dt.microsecond:08x}{rng.randrange(16**8):08x}"


def base(service, revision, dt, log, severity=None):
    e = {
        "insertId": insert_id(dt),
        "labels": {"instanceId": rng.choice(INSTANCES)},
        "logName": f"projects/{PROJECT}/logs/run.googleapis.com%2F{log}",
        "receiveTimestamp": ts(dt + timedelta(milliseconds=rng.randrange(40, 900)), 9),
        "resource": {
            "labels": {
                "configuration_name": service,
                "location": "europe-west1",
                "project_id": PROJECT,
                "revision_name": revision,
                "service_name": service,
            },
            "type": "cloud_run_revision",
        },
        "timestamp": ts(dt),
    }
    if severity:
        e["severity"] = severity
    return e


def at(minute, second=None):
    s = rng.randrange(60) if second is None else second
    return HOUR + timedelta(minutes=minute, seconds=s, microseconds=rng.randrange(10**6))


SVC, REV = "checkout-api", "checkout-api-00042-xuz"

# Incident 1: payment database pool exhausted, with a CRITICAL and 503s.
# The requests that fail wait for a connection, so each 503 below shares its
# trace with a pool error logged while serving it.
pool_traces = []
for minute in (12, 12, 13, 13, 13, 14, 14, 15):
    dt = at(minute)
    e = base(SVC, REV, dt, "stderr", "ERROR")
    e["jsonPayload"] = {
        "message": f"QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout {rng.choice([30, 30, 31])}.00",
        "logger": "sqlalchemy.pool",
    }
    e["trace"] = f"projects/{PROJECT}/traces/{rng.randrange(16**32):032x}"
    pool_traces.append((minute, e["trace"]))
    entries.append(e)
dt = at(13, 30)
e = base(SVC, REV, dt, "stderr", "CRITICAL")
e["jsonPayload"] = {"message": "Payment capture unavailable: database pool exhausted for 60s", "logger": "checkout.payments"}
entries.append(e)
for k, minute in enumerate((12, 13, 13, 14, 15)):
    dt = at(minute)
    e = base(SVC, REV, dt, "requests", "ERROR")
    e["trace"] = [t for m, t in pool_traces if m == minute][0 if k != 2 else 1]
    e["httpRequest"] = {
        "latency": f"{rng.uniform(29.5, 30.5):.9f}s", "protocol": "HTTP/1.1", "remoteIp": f"203.0.113.{rng.randrange(1, 250)}",
        "requestMethod": "POST", "requestSize": "512", "requestUrl": f"https://checkout.acme.example/api/orders/{rng.randrange(10**6)}/pay",
        "responseSize": "82", "serverIp": "34.1.2.3", "status": 503, "userAgent": "Mozilla/5.0",
    }
    entries.append(e)

# Incident 2: an upstream tax service refusing connections (Python traceback).
for minute in (21, 24, 27, 33, 38, 44):
    dt = at(minute)
    e = base(SVC, REV, dt, "stderr", "ERROR")
    e["textPayload"] = (
        "Traceback (most recent call last):\n"
        '  File "/app/checkout/tax.py", line 88, in quote\n'
        "    resp = client.post(TAX_URL, json=payload, timeout=5)\n"
        '  File "/usr/local/lib/python3.12/site-packages/httpx/_client.py", line 1145, in post\n'
        "    return self.request(\"POST\", url)\n"
        f"httpx.ConnectError: [Errno 111] Connection refused (host tax-svc.internal:{rng.choice([8443, 8443])})"
    )
    e["errorGroups"] = [{"id": "CLa1b2c3d4e5f6"}]
    entries.append(e)

# Incident 3: deprecation warnings at every worker boot.
for minute in (2, 19, 35, 51):
    dt = at(minute)
    e = base(SVC, REV, dt, "stderr", "WARNING")
    e["jsonPayload"] = {"message": "datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware objects", "logger": "py.warnings"}
    entries.append(e)

# Incident 4: slow requests on the cart route.
for minute in (5, 9, 17, 29, 41, 53, 57):
    dt = at(minute)
    e = base(SVC, REV, dt, "stderr", "WARNING")
    e["jsonPayload"] = {"message": f"Slow request: GET /api/cart took {rng.uniform(5.1, 9.9):.2f}s (threshold 5.0s) request_id={rng.randrange(16**12):012x}", "logger": "checkout.middleware"}
    entries.append(e)

# Noise: healthy requests and info lines, an unstructured boot line without severity.
for i in range(40):
    dt = at(rng.randrange(60))
    e = base(SVC, REV, dt, "requests", "INFO")
    e["httpRequest"] = {"latency": f"{rng.uniform(0.01, 0.4):.9f}s", "requestMethod": "GET", "requestUrl": "https://checkout.acme.example/api/cart", "status": 200, "protocol": "HTTP/1.1", "remoteIp": "198.51.100.7", "userAgent": "Mozilla/5.0", "responseSize": "2048", "requestSize": "300", "serverIp": "34.1.2.3"}
    entries.append(e)
for i in range(20):
    dt = at(rng.randrange(60))
    e = base(SVC, REV, dt, "stdout", "INFO")
    e["jsonPayload"] = {"message": f"Order {rng.randrange(10**6)} confirmed", "logger": "checkout.orders"}
    entries.append(e)
dt = at(2, 0)
e = base(SVC, REV, dt, "stderr")
e["textPayload"] = "[2025-09-15 15:02:00 +0000] [1] [ERROR] Worker (pid:7) was sent SIGTERM!"
entries.append(e)
# A NOTICE audit entry (deploy), in scope but below WARNING.
dt = at(1, 5)
e = base(SVC, REV, dt, "stderr", "NOTICE")
e["logName"] = f"projects/{PROJECT}/logs/cloudaudit.googleapis.com%2Factivity"
e["protoPayload"] = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog", "methodName": "google.cloud.run.v1.Services.ReplaceService", "resourceName": f"namespaces/{PROJECT}/services/{SVC}", "serviceName": "run.googleapis.com", "status": {}}
del e["labels"]
entries.append(e)

# Out of scope: another service, and the target just outside the window.
for i in range(6):
    dt = at(rng.randrange(60))
    e = base("inventory-api", "inventory-api-00007-abc", dt, "stderr", "ERROR")
    e["jsonPayload"] = {"message": "Stock sync failed: upstream returned 502"}
    entries.append(e)
for delta in (-90, 3630):
    dt = HOUR + timedelta(seconds=delta)
    e = base(SVC, REV, dt, "stderr", "ERROR")
    e["jsonPayload"] = {"message": "QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout 30.00"}
    entries.append(e)

entries.sort(key=lambda e: (e["timestamp"], e["insertId"]), reverse=True)
with open(__file__.replace("make_example.py", "cloud-run-export.json"), "w") as f:
    json.dump(entries, f, indent=2, sort_keys=True, ensure_ascii=False)
    f.write("\n")
print(f"wrote {len(entries)} entries")
