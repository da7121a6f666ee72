#!/usr/bin/env python3
"""Bulk export benchmark, driven by bench/export.sh against a running OpenWard server.

  export.py setup  URL WORK PATIENTS   care team, clinician, patients and devices -> WORK/ward.json
  export.py export URL WORK PID        a clinician's Group export of Observations, timed, with the
                                       server's memory sampled; the file downloaded and its lines counted
"""
import base64, hashlib, html, json, os, re, secrets, sys, threading, time, urllib.parse
import requests

PASSWORD = "export benchmark password 42"


def admin(url, work):
    creds = json.load(open(os.path.join(work, "data", "bootstrap-credentials.json")))
    token = requests.post(url + "/connect/token", data={
        "grant_type": "client_credentials", "client_id": creds["clientId"], "client_secret": creds["clientSecret"]}).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    return session


def ok(response):
    if response.status_code >= 300:
        raise SystemExit(f"{response.request.method} {response.url}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def setup(url, work, patients):
    http = admin(url, work)
    team = ok(http.post(url + "/api/v1/care-teams", json={"name": "Export benchmark ward"}))["id"]
    user = ok(http.post(url + "/api/v1/users", json={"userName": "bench-clinician", "displayName": "Benchmark Clinician",
                                                      "role": "clinician", "password": PASSWORD}))["id"]
    ok(http.put(f"{url}/api/v1/care-teams/{team}/members/{user}"))
    ward = {"team": team, "patients": []}
    for i in range(patients):
        patient = ok(http.post(url + "/api/v1/patients", json={"name": f"Bench Patient {i}", "careTeamId": team}))["id"]
        device = f"bench-exp-{i:04d}"
        ok(http.post(url + "/api/v1/devices", json={"id": device, "model": "Bench Wearable", "serial": f"SN-{i}"}))
        ok(http.post(f"{url}/api/v1/devices/{device}/assignment", json={"patientId": patient, "from": "2020-01-01T00:00:00Z"}))
        ward["patients"].append({"patient": patient, "device": device})
    json.dump(ward, open(os.path.join(work, "ward.json"), "w"))


def sign_in(url):
    """The console's authorization code flow with PKCE, as a browser would go through it."""
    browser = requests.Session()
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect = url + "/console/callback.html"
    query = urllib.parse.urlencode({"client_id": "openward-console", "response_type": "code", "redirect_uri": redirect,
                                    "scope": "openid profile roles", "code_challenge": challenge,
                                    "code_challenge_method": "S256", "state": "bench"})
    to_page = browser.get(url + "/connect/authorize?" + query, allow_redirects=False)
    page = browser.get(urllib.parse.urljoin(url, to_page.headers["Location"]))
    fields = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)}
    fields.update({"userName": "bench-clinician", "password": PASSWORD, "oneTimeCode": ""})
    posted = browser.post(url + "/account/sign-in", data=fields, allow_redirects=False)
    back = browser.get(urllib.parse.urljoin(url, posted.headers["Location"]), allow_redirects=False)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(back.headers["Location"]).query)["code"][0]
    tokens = requests.post(url + "/connect/token", data={"grant_type": "authorization_code", "client_id": "openward-console",
                                                         "code": code, "redirect_uri": redirect, "code_verifier": verifier}).json()
    return tokens["access_token"]


def memory(pid):
    status = open(f"/proc/{pid}/status").read()
    return {k: int(re.search(rf"^{k}:\s+(\d+) kB", status, re.M).group(1)) // 1024 for k in ("VmRSS", "VmHWM")}


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def export(url, work, pid):
    ward = json.load(open(os.path.join(work, "ward.json")))
    http = requests.Session()
    http.headers["Authorization"] = "Bearer " + sign_in(url)
    before = memory(pid)
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(memory(pid)["VmRSS"])
            time.sleep(0.25)

    sampler = threading.Thread(target=sample)
    sampler.start()
    load_before, cpu_before = open("/proc/loadavg").read().split()[0], cpu_seconds(pid)
    started = time.monotonic()
    kick = http.get(f"{url}/fhir/Group/{ward['team']}/$export?_type=Observation",
                    headers={"Prefer": "respond-async", "Accept": "application/fhir+json"})
    assert kick.status_code == 202, kick.text
    status_url = kick.headers["Content-Location"]
    while True:
        status = http.get(status_url)
        if status.status_code == 200:
            break
        assert status.status_code == 202, status.text
        time.sleep(0.1)
    seconds = time.monotonic() - started
    cpu = cpu_seconds(pid) - cpu_before
    load_after = open("/proc/loadavg").read().split()[0]
    done.set()
    sampler.join()
    manifest = status.json()
    output = manifest["output"][0]
    lines, size, started = 0, 0, time.monotonic()
    with http.get(output["url"], stream=True) as download:
        for chunk in download.iter_content(1 << 20):
            lines += chunk.count(b"\n")
            size += len(chunk)
    download_seconds = time.monotonic() - started
    http.delete(status_url)
    print(json.dumps({
        "observations": output["count"], "linesDownloaded": lines, "exportSeconds": round(seconds, 2),
        "observationsPerSecond": round(output["count"] / seconds),
        "serverCpuSeconds": round(cpu, 1), "observationsPerServerCpuSecond": round(output["count"] / cpu),
        "loadAverage": {"before": float(load_before), "after": float(load_after)}, "bytesPerObservation": round(size / max(lines, 1)),
        "downloadMBPerSecond": round(size / 1e6 / download_seconds, 1),
        "serverRssBeforeMB": before["VmRSS"], "serverRssDuringExportMB": {"min": min(samples), "max": max(samples)},
        "serverPeakRssMB": memory(pid)["VmHWM"]}, indent=2))
    if lines != output["count"]:
        raise SystemExit(f"the file holds {lines} lines, the manifest says {output['count']}")


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        export(sys.argv[2], sys.argv[3], int(sys.argv[4]))
