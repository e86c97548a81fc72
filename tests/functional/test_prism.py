"""The committed Comms client against a Prism mock server of the spec.

Prism validates every request against specs/twilio_comms.yaml and reports problems in the
`sl-violations` response header. The examples of the generated README (one per operation)
are executed against it — all hosts rewritten to Prism, so that `…_and_wait` follows the
returned absolute URLs too — and no request may carry a violation. Prism is installed from the
npm registry into `.prism/` on first use; without Node the test is skipped.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import COMMS, ROOT

pytestmark = pytest.mark.prism
GENERATED = ROOT / "generated" / "twilio_comms"
PRISM_DIR = ROOT / ".prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"


def _install() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm are not installed: cannot run the Prism mock server")
    if not PRISM.exists():
        PRISM_DIR.mkdir(exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR), "@stoplight/prism-cli@5"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not PRISM.exists():
            pytest.skip(f"could not install Prism from the npm registry: {done.stderr[-300:]}")
    return PRISM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    prism, port = _install(), _free_port()
    process = subprocess.Popen(
        [str(prism), "mock", str(COMMS), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.2)
        else:
            pytest.fail("Prism did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class ToPrism(httpx.BaseTransport):
    """Send every request to Prism, whatever its host (the spec's URLs are absolute)."""

    def __init__(self, url: str) -> None:
        self.target = httpx.URL(url)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self.target.scheme, host=self.target.host, port=self.target.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()  # BaseTransport.close does nothing: the pool's sockets would leak


def readme_blocks() -> list[str]:
    text = (GENERATED / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_examples_run_against_prism_without_violations(prism_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(GENERATED))
    opened: list[httpx.Client] = []
    try:
        package = importlib.import_module("twilio_comms")
        responses: list[httpx.Response] = []
        real_client = package.Client

        def client_factory(**kwargs: Any) -> Any:
            http = httpx.Client(transport=ToPrism(prism_url), event_hooks={"response": [responses.append]})
            opened.append(http)  # the caller's client: the generated Client leaves it open
            return real_client(**{**kwargs, "account_id": "AC123", "auth_token": "token", "http_client": http})

        monkeypatch.setattr(package, "Client", client_factory)
        blocks = readme_blocks()
        assert len(blocks) >= 10
        namespace: dict[str, Any] = {}
        for block in blocks:
            if "client." in block or "Client(" in block:
                exec(compile(block, "README.md", "exec"), namespace)  # our own README
        methods = {r.request.method for r in responses}
        assert {"GET", "POST", "PATCH", "DELETE"} <= methods
        violations = [(r.request.method, str(r.request.url), r.headers["sl-violations"]) for r in responses if "sl-violations" in r.headers]
        assert violations == []
        assert all(r.status_code < 400 for r in responses)
    finally:
        for http in opened:
            http.close()
        sys.path.remove(str(GENERATED))
        for name in [m for m in sys.modules if m == "twilio_comms" or m.startswith("twilio_comms.")]:
            del sys.modules[name]
