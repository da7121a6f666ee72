#!/usr/bin/env python3
"""SQL that fills a fresh server's store with one heart rate a second for each patient of a ward.

  fill-readings.py [--postgresql] WARD_JSON START_MS SECONDS > readings.sql

WARD_JSON lists the patients and their devices ({"patients": [{"patient": id, "device": id}, ...]}). Each
patient gets SECONDS readings from START_MS, received 250 ms after they were taken, inserted as the group
commit would store them; sqlite3 (or psql) runs the SQL with the server stopped. On PostgreSQL each day
gets the partition of its own that the server's ReadingPartitions would have attached.
"""
import datetime, json, sys

postgresql = sys.argv[1] == "--postgresql"
args = sys.argv[2:] if postgresql else sys.argv[1:]
ward, start, seconds = json.load(open(args[0])), int(args[1]), int(args[2])
DAY = 86_400_000
print("BEGIN;")
if postgresql:
    for day in range(start // DAY * DAY, start + seconds * 1000, DAY):
        name = "readings_" + datetime.datetime.fromtimestamp(day / 1000, datetime.timezone.utc).strftime("%Y%m%d")
        print(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings FOR VALUES FROM ({day}) TO ({day + DAY});")
series = f"generate_series(0::bigint, {seconds - 1}) AS s(i)" if postgresql else "s"
for p in ward["patients"]:
    recursive = "" if postgresql else f"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {seconds - 1})\n"
    print(f"""{recursive}INSERT INTO readings (device_id, patient_id, vital, value, components, unit, device_time, received_time, seq)
SELECT '{p["device"]}', '{p["patient"]}', 'heart-rate', 55 + (i * 7919) % 50, NULL, '/min', {start} + i * 1000, {start} + i * 1000 + 250, NULL FROM {series};""")
print("COMMIT;")
