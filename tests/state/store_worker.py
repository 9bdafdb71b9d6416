"""Run by the multi-process tests: open a store, wait for the start signal, record answers.

Usage: store_worker.py KIND TARGET NAMESPACE QUIZ_ID INDEX GO_FILE USER...
Prints one JSON list of outcomes (one per user) on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

from bot.state.store import Store


def main() -> None:
    kind, target, ns, quiz_id, index, go_file, *users = sys.argv[1:]
    store: Store
    if kind == "sqlite":
        from bot.state.sqlite import SQLiteStore

        store = SQLiteStore(target)
    else:
        import logging

        from bot.state.redis import RedisStore

        logging.getLogger("bot.state.redis").setLevel(logging.ERROR)  # the test server runs without AOF on purpose
        store = RedisStore(target, namespace=ns)
    print("ready", file=sys.stderr, flush=True)
    deadline = time.monotonic() + 20
    while not os.path.exists(go_file) and time.monotonic() < deadline:
        time.sleep(0.001)
    outcomes = [store.record_answer(quiz_id, int(index), u, f"name {u}", 0, True).outcome.value for u in users]
    store.close()
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
