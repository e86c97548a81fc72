"""Run-time cost of generated clients, each figure taken in a fresh interpreter.

    python bench/overhead.py calls PARENT PACKAGE [--iterations N] [--repeats R]
    python bench/overhead.py startup PARENT PACKAGE      # import + construct, one process
    python bench/overhead.py first-call PARENT PACKAGE   # import + construct + one GET

PARENT is the folder that holds the generated package PACKAGE. Each mode prints one JSON object.

- `calls` (the Comms client): `client.sender_pools.fetch(id)` with validation on, against the
  same GET made with raw httpx (`client.get(url).json()`, basic auth set on the httpx.Client),
  both over one `httpx.MockTransport` with one handler that returns a prepared JSON body.
  Repeats alternate generated/raw; each repeat times N calls; the figure is the median
  per-call time of the repeats, and the ratio is generated / raw. Many short repeats rather
  than a few long ones: this machine's bursts of slowness then spoil single repeats, not the
  median. ``paired_ratio`` is the median of each repeat's own generated / raw ratio (the two
  ran back to back), which a slow drift cannot move.
- `startup` and `first-call` (the GitHub client): wall time measured inside the process with
  `perf_counter` from before `import PACKAGE` to after `Client(...)` (and after the first call
  of `issues.get_label(owner, repo, name)`, whose path parameters are validated and whose
  answer is parsed into the `Label` model). run.py repeats these in fresh processes and takes
  the median.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from typing import Any

import httpx

POOL = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
STAMP = "2024-01-02T03:04:05Z"
POOL_BODY = {
    "id": POOL,
    "name": "pool",
    "tags": {"team": "a"},
    "createdAt": STAMP,
    "updatedAt": STAMP,
}
COMMS_URL = f"https://comms.twilio.com/v1/SenderPools/{POOL}"
LABEL_BODY = {
    "id": 208045946,
    "node_id": "MDU6TGFiZWwyMDgwNDU5NDY=",
    "url": "https://api.github.com/repos/octocat/Hello-World/labels/bug",
    "name": "bug",
    "description": "Something isn't working",
    "color": "f29513",
    "default": True,
}
CREDENTIALS = {"twilio_comms": {"account_id": "AC123", "auth_token": "secret"}}


def handler_for(body: dict[str, Any]) -> httpx.MockTransport:
    content = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=content, headers=headers)
    )


def load(parent: str, package: str) -> Any:
    sys.path.insert(0, parent)
    return importlib.import_module(package)


def calls(parent: str, package: str, iterations: int, repeats: int) -> dict[str, Any]:
    module = load(parent, package)
    transport = handler_for(POOL_BODY)
    generated = module.Client(
        **CREDENTIALS.get(package, CREDENTIALS["twilio_comms"]),
        http_client=httpx.Client(transport=transport),
    )
    raw = httpx.Client(transport=transport, auth=("AC123", "secret"))

    def generated_call() -> object:
        return generated.sender_pools.fetch(POOL)

    def raw_call() -> object:
        return raw.get(COMMS_URL).json()

    assert generated_call().id == POOL and raw_call()["id"] == POOL
    timings: dict[str, list[float]] = {"generated": [], "raw": []}
    for _ in range(max(500, iterations // 10)):  # warm-up
        generated_call(), raw_call()
    for repeat in range(repeats):
        order = [("generated", generated_call), ("raw", raw_call)]
        for name, call in order if repeat % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            for _ in range(iterations):
                call()
            timings[name].append((time.perf_counter() - started) / iterations)
    gen, base = statistics.median(timings["generated"]), statistics.median(timings["raw"])
    return {
        "generated_us": gen * 1e6,
        "raw_us": base * 1e6,
        "ratio": gen / base,
        "paired_ratio": statistics.median(
            g / r for g, r in zip(timings["generated"], timings["raw"], strict=True)
        ),
        "iterations": iterations,
        "repeats": repeats,
        "spread_generated_us": [min(timings["generated"]) * 1e6, max(timings["generated"]) * 1e6],
        "spread_raw_us": [min(timings["raw"]) * 1e6, max(timings["raw"]) * 1e6],
    }


def startup(parent: str, package: str) -> dict[str, Any]:
    sys.path.insert(0, parent)
    started = time.perf_counter()
    module = importlib.import_module(package)
    imported = time.perf_counter()
    module.Client()
    built = time.perf_counter()
    return {
        "import_s": imported - started,
        "construct_s": built - imported,
        "total_s": built - started,
    }


def first_call(parent: str, package: str) -> dict[str, Any]:
    sys.path.insert(0, parent)
    transport = handler_for(LABEL_BODY)
    started = time.perf_counter()
    module = importlib.import_module(package)
    client = module.Client(http_client=httpx.Client(transport=transport))
    built = time.perf_counter()
    label = client.issues.get_label("octocat", "Hello-World", "bug")
    done = time.perf_counter()
    assert label.name == "bug", label
    return {"startup_s": built - started, "call_s": done - built, "total_s": done - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("calls", "startup", "first-call"))
    parser.add_argument("parent")
    parser.add_argument("package")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=101)
    args = parser.parse_args(argv)
    if args.mode == "calls":
        result = calls(args.parent, args.package, args.iterations, args.repeats)
    elif args.mode == "startup":
        result = startup(args.parent, args.package)
    else:
        result = first_call(args.parent, args.package)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
