"""What Firebase Hosting, Firestore and Storage are given: `firebase.json`, the security rules and
indexes, and the `dreamreel.json` that `dreamreel hosting-config` writes into the built client.

No rules emulator runs here (Google's needs Java and a download), so the rules are checked for
their shape: deny by default, the one public document readable by `get` only, nothing writable
by a client SDK anywhere.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def statements(rules: str) -> list[tuple[str, str, str]]:
    """(match path, operations, condition) for every `allow`, the match being the innermost one."""
    found, stack = [], []
    for line in re.sub(r"//[^\n]*", "", rules).splitlines():
        if match := re.search(r"match\s+(\S+)\s*\{", line):
            stack.append(match.group(1))
        elif "{" in line:
            stack.append("")  # service block
        if allow := re.search(r"allow\s+([\w\s,]+?)\s*:\s*if\s+([^;]+);", line):
            found.append(("".join(stack), allow.group(1).replace(" ", ""), allow.group(2).strip()))
        for _ in range(re.sub(r"\{[\w=*]+\}", "", line).count("}")):  # not a path's {wildcard}
            stack.pop()
    return found


def test_firestore_rules_deny_by_default_and_open_only_the_api_address_to_get():
    rules = (REPO / "firestore.rules").read_text()
    assert rules.startswith("rules_version = '2';")
    allowed = statements(rules)
    assert ("/databases/{database}/documents/{document=**}", "read,write", "false") in allowed
    opened = [entry for entry in allowed if entry[2] != "false"]
    assert opened == [("/databases/{database}/documents/public/api", "get", "true")]
    assert not any("write" in ops or "create" in ops or "update" in ops for _, ops, condition in allowed
                   if condition != "false")


def test_storage_rules_let_no_browser_read_or_write():
    allowed = statements((REPO / "storage.rules").read_text())
    assert allowed == [("/b/{bucket}/o/{allPaths=**}", "read,write", "false")]


def test_firebase_json_hosts_the_built_client_and_deploys_the_rules():
    config = json.loads((REPO / "firebase.json").read_text())
    hosting = config["hosting"]
    assert hosting["public"] == "client/dist"
    assert hosting["rewrites"] == [{"source": "**", "destination": "/index.html"}]
    for key, path in [("firestore", "rules"), ("firestore", "indexes"), ("storage", "rules")]:
        assert (REPO / config[key][path]).is_file()
    no_cache = next(rule for rule in hosting["headers"] if "dreamreel.json" in rule["source"])
    assert no_cache["headers"] == [{"key": "Cache-Control", "value": "no-cache"}]


def test_the_indexes_cover_every_ordered_query_of_the_request_store():
    indexes = json.loads((REPO / "firestore.indexes.json").read_text())["indexes"]
    fields = {tuple((f["fieldPath"], f["order"]) for f in index["fields"]) for index in indexes}
    assert {(("status", "ASCENDING"), ("created_at", "ASCENDING")),
            (("status", "ASCENDING"), ("claimed_at", "ASCENDING")),
            (("user_id", "ASCENDING"), ("created_at", "DESCENDING")),
            (("shared", "ASCENDING"), ("created_at", "DESCENDING"))} == fields


def hosting_config(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", "hosting-config", *args], cwd=REPO,
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=60)


def test_hosting_config_tells_the_built_app_where_its_api_is(tmp_path):
    site = tmp_path / "dist"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html>")
    firebase = hosting_config("--client", str(site), env={"DREAMREEL_FIREBASE_PROJECT": "dreamreel-demo",
                                                          "DREAMREEL_FIREBASE_WEB_API_KEY": "web-key"})
    assert firebase.returncode == 0, firebase.stderr
    assert json.loads((site / "dreamreel.json").read_text()) == {"firebase": {"projectId": "dreamreel-demo",
                                                                               "apiKey": "web-key"}}
    fixed = hosting_config("--client", str(site), "--api", "https://dreamreel-home.ngrok-free.app/", env={})
    assert fixed.returncode == 0
    assert json.loads((site / "dreamreel.json").read_text()) == {"api": "https://dreamreel-home.ngrok-free.app"}

    for bad in ("http://dreamreel-home.ngrok-free.app", "https://x.app/path", "javascript:alert(1)"):
        refused = hosting_config("--client", str(site), "--api", bad, env={})
        assert refused.returncode == 2 and "--api must be an https origin" in refused.stderr
    missing = hosting_config("--client", str(site), env={})
    assert missing.returncode == 2
    assert "set DREAMREEL_FIREBASE_PROJECT and DREAMREEL_FIREBASE_WEB_API_KEY" in missing.stderr
    unbuilt = hosting_config("--client", str(tmp_path / "nothing"), env={})
    assert unbuilt.returncode == 2 and "run `make client`" in unbuilt.stderr
