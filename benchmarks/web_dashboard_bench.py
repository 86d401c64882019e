"""The web workspace's 工作台 (dashboard) for a consultancy's 150 dossiers: response time
cold (first request: every dossier loaded, checked and scored), warm (answered from the
cache keyed by the files' modification times), after a server restart (each dossier's
row kept in output/.web-status.json), and after one dossier changed.

    .venv/bin/python benchmarks/web_dashboard_bench.py [N]

The goal: < 1 s warm for 150 dossiers. Prints figures and the cold/warm ratio; the tests
check correctness, this prints speed.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from dossier.web import create_app  # noqa: E402


def timed(client: TestClient, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "dossier.yaml").is_file())
    with tempfile.TemporaryDirectory(prefix="dossier-bench-ws-") as tmp:
        ws = Path(tmp)
        for i in range(n):
            source = examples[i % len(examples)]
            shutil.copytree(source, ws / f"{i:03d}-{source.name}", ignore=shutil.ignore_patterns("output"))
        client = TestClient(create_app(ws))
        cold = timed(client, "/")
        warm = [timed(client, "/") for _ in range(5)]
        filtered = timed(client, "/?q=苏州&sort=deadline")
        first = sorted(ws.iterdir())[0] / "dossier.yaml"
        first.write_text(first.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
        one_changed = timed(client, "/")
        start = time.perf_counter()
        client.app.state.status.wait()
        refreshed = time.perf_counter() - start
        restarted = TestClient(create_app(ws))  # a new server process over the same files
        restart = timed(restarted, "/")
        median = statistics.median(warm)
        print(f"dashboard, {n} dossiers")
        print(f"  cold (nothing cached):          {cold:8.2f} s  ({cold / n * 1000:.0f} ms per dossier)")
        print(f"  warm (median of 5):             {median:8.3f} s  (goal < 1 s)")
        print(f"  server restarted (disk cache):  {restart:8.3f} s")
        print(f"  warm, search + sort:            {filtered:8.3f} s")
        print(f"  one dossier.yaml changed:       {one_changed:8.3f} s  (its row recomputed in the background in {refreshed:.2f} s)")
        print(f"  cold / warm:                    {cold / median:8.0f} ×")


if __name__ == "__main__":
    main()
