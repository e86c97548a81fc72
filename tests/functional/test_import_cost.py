"""`import pkg; pkg.Client(...)` stays light: the committed Comms client, in a fresh interpreter.

pydantic (with the first model or validated body), asyncio (async clients), the httpx client
itself (its CA bundle and httpcore: on the first request) and the models (each operation
imports its own on its first call) are left for later; the timing is bench/run.py's business,
these only check what gets loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT


def probe(code: str) -> Any:
    """What `code` prints (JSON), run in a fresh interpreter beside the committed client."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "generated" / "twilio_comms",
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


PROBE = """
import json, sys
import twilio_comms
client = twilio_comms.Client(account_id="AC1", auth_token="t")
loaded = [m for m in ("pydantic", "asyncio", "httpcore", "twilio_comms.models") if m in sys.modules]
print(json.dumps({"loaded": loaded, "made": client._made_http is not None}))
"""


def test_import_and_client_load_no_pydantic_asyncio_or_http_client() -> None:
    assert probe(PROBE) == {"loaded": [], "made": False}


FIRST_CALL = """
import json, sys
import httpx
import twilio_comms

pool = {"id": "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8", "name": "p", "tags": {},
        "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"}
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=pool))
client = twilio_comms.Client(account_id="AC1", auth_token="t",
                             http_client=httpx.Client(transport=transport))

def models():
    return sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("twilio_comms.models._"))

resource = client.sender_pools
opened = models()
assert resource.fetch(pool["id"]).id == pool["id"]
print(json.dumps({"opened": opened, "called": models()}))
"""


def test_an_operation_imports_only_the_models_it_names() -> None:
    """A resource module imports its models for type checking only (its raw-response classes
    name theirs in quotes); an operation's descriptor, built on its first call, imports its own."""
    loaded = probe(FIRST_CALL)
    assert loaded["opened"] == []
    assert loaded["called"] == ["_error", "_sender_pool"]
