#!/usr/bin/env python3
"""journal-peer.py - the peer for `fixstream-bench journal.append`: Python's sqlite3 (the same system SQLite)
appending the same shape of alert rows, in the same schema, WAL with synchronous=NORMAL, one transaction per
batch of 1,024 with executemany. Prints one JSON line.

    python3 Benchmarks/journal-peer.py            # 1,000,000 alerts into a temporary directory

Environment: PEER_ALERTS (default 1000000), PEER_BATCH (default 1024).
"""
import json, os, sqlite3, tempfile, time

alerts = int(os.environ.get("PEER_ALERTS", "1000000"))
batch = int(os.environ.get("PEER_BATCH", "1024"))
with tempfile.TemporaryDirectory() as directory:
    db = sqlite3.connect(os.path.join(directory, "journal.sqlite3"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE alerts (id INTEGER PRIMARY KEY, type TEXT NOT NULL, vehicle TEXT NOT NULL, fence TEXT,"
               " trip TEXT, time INTEGER NOT NULL, recorded_at INTEGER NOT NULL, body BLOB NOT NULL)")
    db.execute("CREATE TABLE journal_state (last_id INTEGER NOT NULL)")
    db.execute("INSERT INTO journal_state VALUES (0)")
    rows = []
    for n in range(alerts):
        vehicle = "van-%d" % (n % 1000)
        body = ('{"type":"geofence.enter","vehicle":"%s","time":"2026-11-22T10:00:%02d.000Z","lat":46.51234,'
                '"lon":6.63456,"fence":"depot-%d","name":"Depot %d"}' % (vehicle, n % 60, n % 50, n % 50)).encode()
        rows.append((n + 1, "geofence.enter", vehicle, "depot-%d" % (n % 50), None, 1795255200000 + n, 0, body))
    start = time.perf_counter()
    for first in range(0, alerts, batch):
        chunk = rows[first:first + batch]
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", chunk)
        db.execute("UPDATE journal_state SET last_id = ?", (chunk[-1][0],))
        db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
print(json.dumps({"name": "peer.python_sqlite3", "unit": "alerts/s", "value": round(alerts / seconds),
                  "alerts": alerts, "batch": batch, "seconds": round(seconds, 3),
                  "sqlite": sqlite3.sqlite_version, "python": ".".join(map(str, __import__("sys").version_info[:3]))}))
