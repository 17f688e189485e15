#!/usr/bin/env python3
"""The OpenAPI document against the real server.

Starts mailsift-server (SQLite in a temp folder, loopback, port 0), drives every route it serves
with successful and failing requests (400, 401, 404, 413), and validates each answer against
api/openapi.json with a real JSON Schema 2020-12 validator (python3-jsonschema): the status must
be documented for the operation, the content type must be one the document names, the body must
match the schema, and documented headers must be there. At the end every documented response of
every served operation must have been seen, except the few listed in NOT_PROVOKED.

Usage: live_contract_test.py --server BIN --document api/openapi.json --lists config/lists
                             [--web web]
"""

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid

try:
    import jsonschema
except ImportError:
    sys.exit("python3-jsonschema is missing; run scripts/install-deps --test.")

# Operations of the document that the server does not serve yet: other modules register them.
# Keep in step with kDocumentedNotYetServed in tests/unit/http/openapi_routes_test.cpp; a listed
# operation that the server does serve fails this test, so the list cannot go stale.
DOCUMENTED_NOT_YET_SERVED = {
}

# The server's environment: an integrations key (64 hex digits, made for this run), so
# /v1/integrations answers instead of 503.
SERVER_ENV = dict(os.environ, MAILSIFT_SECRET_KEY=secrets.token_hex(32))

# Documented answers this test cannot provoke cheaply, with the reason: a status for every
# operation, or (method, path, status) for one.
NOT_PROVOKED = {
    "429": "no rate limit is configured in this test",
    "500": "a server fault cannot be caused from outside (that is the point)",
    "503": "the store would have to go away under the running server",
    ("GET", "/", "404"): "this test's server has the dashboard installed",
}

METHODS = ("get", "put", "post", "delete", "patch")


class Failures:
    def __init__(self):
        self.items = []

    def add(self, text):
        self.items.append(text)
        print("FAIL: " + text, file=sys.stderr)


class Contract:
    """The document, and which (method, path, status) answers were checked against it."""

    def __init__(self, path, failures):
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.doc = json.loads(self.text)
        self.failures = failures
        self.seen = set()

    def operation(self, method, template):
        item = self.doc["paths"].get(template)
        if item is None or method.lower() not in item:
            return None
        return item[method.lower()]

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def schema(self, schema):
        # $refs in the schema point into the document: make the document's components part of
        # the schema's own root, so that "#/components/..." resolves without a resolver.
        return dict(schema, components=self.doc["components"])

    def check(self, method, template, status, headers, body, what):
        key = (method, template, str(status))
        self.seen.add(key)
        label = f"{method} {template} -> {status} ({what})"
        operation = self.operation(method, template)
        if operation is None:
            self.failures.add(f"{label}: the document has no such operation")
            return
        responses = operation["responses"]
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or \
            responses.get("default")
        if response is None:
            self.failures.add(f"{label}: status {status} is not documented "
                              f"(documented: {sorted(responses)}); body: {body[:300]!r}")
            return
        response = self.resolve(response)
        for name in response.get("headers", {}):
            if name.lower() not in headers:
                self.failures.add(f"{label}: documented header {name} is missing")
        content = response.get("content")
        if not content:
            return
        media_type = headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            self.failures.add(f"{label}: content type {media_type!r} is not documented "
                              f"({sorted(content)})")
            return
        schema = content[media_type].get("schema")
        if schema is None:
            return
        if media_type == "application/json":
            try:
                instance = json.loads(body)
            except ValueError as e:
                self.failures.add(f"{label}: the body is not JSON ({e}): {body[:300]!r}")
                return
        else:
            instance = body
        validator = jsonschema.Draft202012Validator(
            self.schema(schema), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        for error in errors[:5]:
            where = "/".join(str(p) for p in error.path)
            self.failures.add(f"{label}: at /{where}: {error.message[:300]}")


class Server:
    def __init__(self, binary, config):
        self.binary = binary
        self.config = config
        self.process = None
        self.port = None
        self.err_lines = []

    def command(self, *args):
        return subprocess.run([self.binary, *args, "--config", self.config], capture_output=True,
                              text=True, timeout=60, env=SERVER_ENV)

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve", "--config", self.config],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, env=SERVER_ENV)
        found = threading.Event()

        def read():
            for line in self.process.stderr:
                self.err_lines.append(line)
                m = re.search(r"listening on http://[^:]+:(\d+)", line)
                if m and not found.is_set():
                    self.port = int(m.group(1))
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(60):
            self.stop()
            raise RuntimeError("the server did not listen within 60 s:\n" +
                               "".join(self.err_lines[-40:]))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Client:
    def __init__(self, port, contract):
        self.port = port
        self.contract = contract

    def call(self, method, template, path, key=None, body=None, content_type=None, what="",
             headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = "Bearer " + key
        if body is not None:
            headers["Content-Type"] = content_type or "application/json"
            if isinstance(body, str):
                body = body.encode("utf-8")
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            status = response.status
            response_headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        self.contract.check(method, template, status, response_headers, text,
                            what or f"{method} {path}")
        self.last_headers = response_headers
        return status, text


def multipart(fields):
    boundary = "----contract" + uuid.uuid4().hex
    out = b""
    for name, value, filename in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"".encode()
        if filename:
            out += f"; filename=\"{filename}\"\r\nContent-Type: text/csv".encode()
        out += b"\r\n\r\n" + value.encode() + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, "multipart/form-data; boundary=" + boundary


def config_yaml(folder, lists, web=None):
    web_root = f"\n  web_root: '{web}'" if web else ""
    return f"""http:
  address: 127.0.0.1
  port: 0
  threads: 4
  max_body_bytes: 65536
  rate_limit: {{requests_per_second: 0}}{web_root}
store:
  url: 'sqlite://{folder}/mailsift.db'
limits:
  max_rows_per_job: 50
plugins:
  stages:
    - name: mailsift.stage.syntax
      config: {{}}
    - name: mailsift.stage.lists
      config:
        role_file: '{lists}/role_local_parts.txt'
        disposable_file: '{lists}/disposable_domains.txt'
        disposable_wildcard_file: '{lists}/disposable_wildcard_domains.txt'
        free_file: '{lists}/free_domains.txt'
    - name: mailsift.stage.typo
      config:
        providers_file: '{lists}/well_known_providers.txt'
        free_file: '{lists}/free_domains.txt'
        disposable_file: '{lists}/disposable_domains.txt'
  connectors:
    - {{name: mailsift.connector.file, config: {{}}}}
    - {{name: mailsift.connector.input, config: {{}}}}
"""


def drive(client, key, other_key, contract, failures):
    """Every served route: its success answers and its error answers."""
    J = "/v1/email/validate/job"
    JID = J + "/{id}"

    # Service routes and this document (no key).
    client.call("GET", "/healthz", "/healthz")
    client.call("GET", "/readyz", "/readyz")
    client.call("GET", "/metrics", "/metrics")
    status, text = client.call("GET", "/v1/openapi.json", "/v1/openapi.json")
    if status != 200 or json.loads(text) != contract.doc:
        failures.add("GET /v1/openapi.json does not serve api/openapi.json as it is in the repo")

    client.call("GET", "/v1/plugins", "/v1/plugins", key)
    client.call("GET", "/v1/plugins", "/v1/plugins", "msk_wrong", what="wrong key")

    # Synchronous validation.
    V = "/v1/email/validate"
    client.call("POST", V, V, key, json.dumps({"emails": [
        "someone@example.com", "info@example.org", "not an address", "someone@gmial.com",
        "someone@example.com"]}))
    client.call("POST", V, V, key, json.dumps({"emails": []}), what="no addresses")
    client.call("POST", V, V, key, "{not json", what="bad JSON")
    client.call("POST", V, V, None, json.dumps({"emails": ["a@b.com"]}), what="no key")
    client.call("POST", V, V, key, json.dumps({"emails": ["a" * 100 + "@example.com"] * 1000}),
                what="body over http.max_body_bytes")

    # Jobs: created from input and from a CSV file.
    body, ctype = multipart([("source", "input", None), ("label", "Contract", None),
                             ("input", "a@example.com, b@example.org; bad\nrole: info@example.com",
                              None)])
    status, text = client.call("POST", J, J, key, body, ctype, what="input job")
    input_job = json.loads(text)["id"] if status == 201 else None
    csv = "email,name\r\nx@example.com,X\r\ny@example.org,Y\r\n=cmd@example.com,Z\r\n"
    body, ctype = multipart([("source", "file", None), ("file", csv, "list.csv")])
    status, text = client.call("POST", J, J, key, body, ctype, what="file job")
    file_job = json.loads(text)["id"] if status == 201 else None
    body, ctype = multipart([("source", "fax", None)])
    client.call("POST", J, J, key, body, ctype, what="unknown source")
    client.call("POST", J, J, None, body, ctype, what="no key")
    many = ",".join(f"user{i}@example.com" for i in range(60))
    body, ctype = multipart([("source", "input", None), ("input", many, None)])
    client.call("POST", J, J, key, body, ctype, what="more rows than limits.max_rows_per_job")
    if input_job is None or file_job is None:
        failures.add("jobs could not be created; the job routes were not driven")
        return

    deadline = time.time() + 60
    while time.time() < deadline:
        status, text = client.call("GET", JID, f"{J}/{file_job}", key)
        if status == 200 and json.loads(text)["state"] in ("done", "failed"):
            break
        time.sleep(0.1)

    client.call("GET", J, J, key)
    client.call("GET", J, J, None, what="no key")
    for template, suffix, method in ((JID, "", "GET"), (JID + "/result", "/result", "GET"),
                                     (JID + "/download", "/download", "GET"),
                                     (JID + "/pause", "/pause", "POST"),
                                     (JID + "/resume", "/resume", "POST"),
                                     (JID, "", "DELETE")):
        client.call(method, template, f"{J}/999999{suffix}", key, what="unknown id")
        client.call(method, template, f"{J}/{file_job}{suffix}", other_key,
                    what="another account's job")
        client.call(method, template, f"{J}/{file_job}{suffix}", None, what="no key")

    client.call("GET", JID + "/result", f"{J}/{file_job}/result", key)
    client.call("GET", JID + "/result", f"{J}/{file_job}/result?pos=2", key)
    client.call("GET", JID + "/result", f"{J}/{file_job}/result?pos=1000", key, what="past the end")
    client.call("GET", JID + "/result", f"{J}/{file_job}/result?pos=-1", key, what="bad pos")
    client.call("GET", JID + "/download", f"{J}/{file_job}/download", key)
    client.call("GET", JID + "/download",
                f"{J}/{file_job}/download?filters=valid&filters=risky", key)
    client.call("GET", JID + "/download", f"{J}/{file_job}/download?filters=maybe", key,
                what="bad filter")
    client.call("POST", JID + "/pause", f"{J}/{input_job}/pause", key)
    client.call("POST", JID + "/resume", f"{J}/{input_job}/resume", key)
    client.call("GET", JID, f"{J}/{input_job}", key)
    client.call("DELETE", JID, f"{J}/{input_job}", key)
    client.call("GET", JID, f"{J}/{input_job}", key, what="deleted job")


def served(operation):
    return operation not in DOCUMENTED_NOT_YET_SERVED


def drive_dashboard(client):
    """The dashboard's files, served from the repository's web/ folder."""
    for template, path in (("/", "/"), ("/assets/{name}", "/assets/app.css")):
        client.call("GET", template, path)
        etag = client.last_headers.get("etag", "")
        client.call("GET", template, path, headers={"If-None-Match": etag}, what="same ETag")
    client.call("GET", "/assets/{name}", "/assets/no-such-file.css", what="unknown file")


def drive_webhooks(client, key, other_key):
    """Webhook subscriptions. The target is a documentation address (TEST-NET-3) that is never contacted: the only event
    subscribed to is validation.job.failed, and no job of this test fails."""
    W, WID = "/v1/webhooks", "/v1/webhooks/{id}"
    target = "https://203.0.113.10/mailsift"
    status, text = client.call("POST", W, W, key, json.dumps(
        {"url": target, "events": ["validation.job.failed"]}))
    hook = json.loads(text)["id"] if status == 201 else 999999
    client.call("POST", W, W, key, json.dumps({"url": target, "events": ["nope"]}),
                what="unknown event")
    client.call("POST", W, W, None, json.dumps({"url": target, "events": []}), what="no key")
    client.call("POST", W, W, key, json.dumps({"url": target + "?" + "x" * 70000,
                                               "events": ["validation.job.failed"]}),
                what="body over http.max_body_bytes")
    client.call("GET", W, W, key)
    client.call("GET", W, W, None, what="no key")
    client.call("PUT", WID, f"{W}/{hook}", key, json.dumps({"active": False}))
    client.call("PUT", WID, f"{W}/{hook}", key, json.dumps({"url": "not a url"}), what="bad url")
    client.call("PUT", WID, f"{W}/999999", key, json.dumps({"active": False}), what="unknown id")
    client.call("PUT", WID, f"{W}/{hook}", other_key, json.dumps({"active": True}),
                what="another account's subscription")
    client.call("PUT", WID, f"{W}/{hook}", None, json.dumps({"active": True}), what="no key")
    client.call("PUT", WID, f"{W}/{hook}", key, json.dumps({"url": "x" * 70000}),
                what="body over http.max_body_bytes")
    client.call("GET", WID, f"{W}/{hook}", key)
    client.call("GET", WID, f"{W}/999999", key, what="unknown id")
    client.call("GET", WID, f"{W}/{hook}", None, what="no key")
    D = WID + "/deliveries"
    client.call("GET", D, f"{W}/{hook}/deliveries", key)
    client.call("GET", D, f"{W}/999999/deliveries", key, what="unknown id")
    client.call("GET", D, f"{W}/{hook}/deliveries", None, what="no key")
    client.call("DELETE", WID, f"{W}/{hook}", None, what="no key")
    client.call("DELETE", WID, f"{W}/{hook}", key)
    client.call("DELETE", WID, f"{W}/{hook}", key, what="deleted already")


def drive_integrations(client, key, other_key):
    """Integrations. Creating one stores sealed credentials and calls nobody."""
    I, IID = "/v1/integrations", "/v1/integrations/{id}"
    status, text = client.call("POST", I, I, key, json.dumps(
        {"system": "hubspot", "name": "Contract", "credentials": {"accessToken": "pat-contract"},
         "options": {"writeBack": True}}))
    integration = json.loads(text)["id"] if status == 201 else 999999
    client.call("POST", I, I, key, json.dumps({"system": "fax", "name": "x", "credentials": {}}),
                what="unknown system")
    client.call("POST", I, I, key, json.dumps(
        {"system": "mailjet", "name": "Contract", "credentials": {"apiKey": "k", "apiSecret": "s"}}),
                what="a name the account uses already")
    client.call("POST", I, I, None, json.dumps({"system": "hubspot"}), what="no key")
    client.call("POST", I, I, key, json.dumps({"system": "hubspot", "name": "x" * 70000,
                                               "credentials": {}}),
                what="body over http.max_body_bytes")
    client.call("GET", I, I, key)
    client.call("GET", I, I, None, what="no key")
    client.call("GET", IID, f"{I}/{integration}", key)
    client.call("GET", IID, f"{I}/999999", key, what="unknown id")
    client.call("GET", IID, f"{I}/{integration}", other_key, what="another account's integration")
    client.call("GET", IID, f"{I}/{integration}", None, what="no key")
    client.call("DELETE", IID, f"{I}/{integration}", None, what="no key")
    client.call("DELETE", IID, f"{I}/{integration}", key)
    client.call("DELETE", IID, f"{I}/{integration}", key, what="deleted already")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--document", required=True)
    parser.add_argument("--lists", required=True)
    parser.add_argument("--web", help="the dashboard's files (web/), once the server serves them")
    args = parser.parse_args()

    failures = Failures()
    contract = Contract(args.document, failures)
    jsonschema.Draft202012Validator.check_schema({"type": "object"})

    with tempfile.TemporaryDirectory(prefix="mailsift-contract-") as folder:
        config = os.path.join(folder, "mailsift.yaml")
        with open(config, "w", encoding="utf-8") as f:
            web = os.path.abspath(args.web) if args.web and served(("GET", "/")) else None
            f.write(config_yaml(folder, os.path.abspath(args.lists), web))
        server = Server(args.server, config)
        keys = []
        for account in ("acme", "other"):
            created = server.command("keys", "create", "--account", account)
            if created.returncode != 0:
                print(created.stdout + created.stderr, file=sys.stderr)
                return 1
            keys.append(created.stdout.strip())
        server.start()
        try:
            client = Client(server.port, contract)
            drive(client, keys[0], keys[1], contract, failures)
            if served(("GET", "/")):
                drive_dashboard(client)
            if served(("POST", "/v1/webhooks")):
                drive_webhooks(client, keys[0], keys[1])
            if served(("POST", "/v1/integrations")):
                drive_integrations(client, keys[0], keys[1])
            # The operations still to come must really not be served yet.
            for method, template in sorted(DOCUMENTED_NOT_YET_SERVED):
                path = template.replace("{id}", "1")
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                connection.request(method, path, body=b"{}" if method in ("POST", "PUT") else None,
                                   headers={"Authorization": "Bearer " + keys[0],
                                            "Content-Type": "application/json"})
                status = connection.getresponse().status
                connection.close()
                if status not in (404, 405):
                    failures.add(f"{method} {template} is served now (status {status}): take it "
                                 "off DOCUMENTED_NOT_YET_SERVED here and in "
                                 "openapi_routes_test.cpp")
        finally:
            server.stop()

    # Every documented answer of every served operation was seen.
    for template, item in contract.doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            key = (method.upper(), template)
            if key in DOCUMENTED_NOT_YET_SERVED:
                continue
            for status in item[method]["responses"]:
                if status in NOT_PROVOKED or (key[0], template, status) in NOT_PROVOKED:
                    continue
                if (key[0], template, status) not in contract.seen:
                    failures.add(f"{key[0]} {template} -> {status} is documented but this test "
                                 "never saw it; drive it in drive() or list it in NOT_PROVOKED")

    checked = len(contract.seen)
    if failures.items:
        print(f"{len(failures.items)} contract failures", file=sys.stderr)
        return 1
    print(f"every served operation matches api/openapi.json ({checked} distinct answers checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
