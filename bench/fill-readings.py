#!/usr/bin/env python3
"""SQL that fills a fresh server's SQLite store with one heart rate a second for each patient of a ward.

  fill-readings.py WARD_JSON START_MS SECONDS > readings.sql

WARD_JSON lists the patients and their devices ({"patients": [{"patient": id, "device": id}, ...]}). Each
patient gets SECONDS readings from START_MS, received 250 ms after they were taken, inserted as the group
commit would store them; sqlite3 runs the SQL with the server stopped.
"""
import json, sys

ward, start, seconds = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
print("BEGIN;")
for p in ward["patients"]:
    print(f"""WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {seconds - 1})
INSERT INTO readings (device_id, patient_id, vital, value, components, unit, device_time, received_time, seq)
SELECT '{p["device"]}', '{p["patient"]}', 'heart-rate', 55 + (i * 7919) % 50, NULL, '/min', {start} + i * 1000, {start} + i * 1000 + 250, NULL FROM s;""")
print("COMMIT;")
