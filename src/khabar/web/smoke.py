"""A non-interactive check of the reader for CI (`make demo CI=1`): start the real server
(uvicorn) on a free loopback port, fetch the front page, a story, an article and the API, print
what answered, and stop.

    python -m khabar.web.smoke demo.db
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import urllib.request


def _fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def smoke(db: str) -> int:
    """0 when every page answered 200, else 1 (and what failed on stderr)."""
    import uvicorn

    from khabar.web import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.started:
                break
            time.sleep(0.05)
        stories = json.loads(_fetch(base + "/api/stories?sort=size&limit=1")[1])
        story = stories["stories"][0]["id"] if stories["stories"] else None
        pages = ["/", "/api/stats", "/openapi.json", "/search?q=%D8%B3%D9%8A%D9%88%D9%84"]
        if story:
            pages += [f"/stories/{story}", f"/articles/{story}", f"/stories/{story}.json"]
        for page in pages:
            status, body = _fetch(base + page)
            print(f"  {status}  {page}  ({len(body):,} bytes)")
            if status != 200:
                print(f"khabar: {page} answered {status}", file=sys.stderr)
                return 1
        print(f"the reader answered at {base}/ ({stories['total']} stories); "
              "not kept running (non-interactive mode): `khabar --db DB serve` to browse")
        return 0
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    sys.exit(smoke(sys.argv[1] if len(sys.argv) > 1 else "demo.db"))
