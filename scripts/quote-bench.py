#!/usr/bin/env python3
"""End-to-end quoting benchmark on a running server with demo data: uploads a drawing corpus
(crates/drawing `drawing-corpus`: vector PDFs and scans, with ground truth) to one quote, waits
for the background analysis, and reports how many lines were priced automatically (estimate
present and without open question), title-block accuracy on the drawing number, and the wall
time per drawing. Standard library only.

    python3 scripts/quote-bench.py http://127.0.0.1:8080 /path/to/corpus
"""
import json
import os
import sys
import time
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"
CORPUS = sys.argv[2] if len(sys.argv) > 2 else "target/drawing-corpus"


def call(method, path, token=None, body=None, content_type="application/json"):
    data = None
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read() or b"null")


def main():
    token = call("POST", "/api/v1/auth/login", body={"login": "commercial", "password": "usinage-demo"})["access_token"]
    client = call("GET", "/api/v1/clients?per_page=1", token)["items"][0]["id"]
    quote = call("POST", "/api/v1/quotes", token, {"client_id": client, "subject": "Banc d'essai chiffrage"})
    files = sorted(f for f in os.listdir(CORPUS) if f.endswith((".pdf", ".png", ".jpg")))
    truth = {}
    for f in os.listdir(CORPUS):
        if f.endswith(".json"):
            with open(os.path.join(CORPUS, f)) as fh:
                truth[f[:-5]] = json.load(fh)
    t0 = time.time()
    # Batches of 8 files: an upload request is capped at 200 MB (scans weigh several MB).
    for i in range(0, len(files), 8):
        boundary = uuid.uuid4().hex
        body = bytearray()
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="quantities"\r\n\r\n1, 10, 50\r\n'.encode()
        for f in files[i : i + 8]:
            with open(os.path.join(CORPUS, f), "rb") as fh:
                data = fh.read()
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{f}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        call("POST", f"/api/v1/quotes/{quote['id']}/drawings", token, bytes(body), f"multipart/form-data; boundary={boundary}")
    while True:
        q = call("GET", f"/api/v1/quotes/{quote['id']}", token)
        if q["lines_pending"] == 0:
            break
        time.sleep(0.5)
    wall = time.time() - t0
    stats = {}
    for kind in ("vector", "scan"):
        stats[kind] = {"n": 0, "analysed": 0, "number_ok": 0, "estimated": 0, "complete": 0}
    for l in q["lines"]:
        name = l["drawing"]["filename"]
        kind = "scan" if "-scan" in name else "vector"
        s = stats[kind]
        s["n"] += 1
        s["analysed"] += l["analysis_status"] == "termine"
        t = truth.get(name.split("-scan")[0].split(".")[0], {})
        s["number_ok"] += bool(t.get("drawing_number")) and l["drawing_number"] == t.get("drawing_number")
        e = l["estimate"]
        if e is not None:
            s["estimated"] += 1
            s["complete"] += not any(i["level"] != "avertissement" for i in e["issues"])
    n = len(q["lines"])
    print(f"{n} drawings analysed and estimated in {wall:.1f} s ({wall / max(n, 1):.2f} s per drawing, one worker)")
    for kind, s in stats.items():
        if s["n"]:
            print(
                f"{kind:6}: {s['n']} drawings, analysed {s['analysed']}, drawing number right {s['number_ok']}/{s['n']}, "
                f"estimate computed {s['estimated']}/{s['n']} ({100 * s['estimated'] / s['n']:.0f} %), "
                f"without open question {s['complete']}/{s['n']} ({100 * s['complete'] / s['n']:.0f} %)"
            )


if __name__ == "__main__":
    main()
