#!/usr/bin/env python3
"""FHIR search latency benchmark, driven by bench/fhir-search.sh against a running OpenWard server.

  fhir-search.py setup URL WORK    care team, clinician, one patient and device, a backend service
                                   registered with its public key set -> WORK/ward.json, WORK/service-key.pem
  fhir-search.py time  URL WORK    the questions, each asked through FHIR and through /api/v1 in turns,
                                   after a warm-up; latency percentiles per question as JSON

The clinician signs in through the console's authorization code flow (export.py's sign_in) and asks both
APIs; the backend service signs an RS384 client assertion for a system/Observation.rs token and asks FHIR.
Latency is from sending the request to the last byte of the answer, one request at a time.
"""
import base64, json, os, sys, time, urllib.parse, uuid
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(__file__))
import export  # noqa: E402  (the ward set-up's admin client and the clinician's sign-in)

WARMUP = int(os.environ.get("WARMUP", "50"))
REPEAT = int(os.environ.get("REPEAT", "500"))
LOINC_HEART_RATE = "http://loinc.org|8867-4"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def setup(url, work):
    export.setup(url, work, 1)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "RSA", "kid": "bench-key", "alg": "RS384", "use": "sig",
           "n": b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")), "e": b64(numbers.e.to_bytes(3, "big"))}
    client = export.ok(export.admin(url, work).post(url + "/api/v1/clients", json={
        "name": "Search benchmark record system", "role": "integration", "jwks": {"keys": [jwk]}, "scopes": ["system/Observation.rs"]}))
    with open(os.path.join(work, "service-key.pem"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    ward = json.load(open(os.path.join(work, "ward.json")))
    ward["serviceClientId"] = client["clientId"]
    json.dump(ward, open(os.path.join(work, "ward.json"), "w"))


def service_token(url, work, client_id):
    """A SMART backend service's token: an RS384 client assertion for the token URL the server names."""
    token_url = requests.get(url + "/.well-known/smart-configuration").json()["token_endpoint"]
    key = serialization.load_pem_private_key(open(os.path.join(work, "service-key.pem"), "rb").read(), password=None)
    now = int(time.time())
    header = b64(json.dumps({"alg": "RS384", "typ": "JWT", "kid": "bench-key"}).encode())
    claims = b64(json.dumps({"iss": client_id, "sub": client_id, "aud": token_url, "exp": now + 240, "iat": now,
                             "jti": uuid.uuid4().hex}).encode())
    signature = key.sign(f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA384())
    answer = export.ok(requests.post(token_url, data={
        "grant_type": "client_credentials", "scope": "system/Observation.rs",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": f"{header}.{claims}.{b64(signature)}"}))
    return answer["access_token"]


def session(token):
    http = requests.Session()
    http.headers["Authorization"] = "Bearer " + token
    return http


def get(http, url):
    started = time.perf_counter()
    response = http.get(url)
    body = response.content
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code} {body[:500]!r}")
    return elapsed, body


def percentiles(samples):
    ordered = sorted(samples)

    def at(p):
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

    return {"n": len(ordered), "p50": at(50), "p95": at(95), "p99": at(99), "max": round(ordered[-1], 2)}


def ask(questions):
    """Each question's requests (a list of (session, url) cycled through) in turns, after a warm-up of each."""
    for requests_of in questions.values():
        for i in range(WARMUP):
            get(*requests_of[i % len(requests_of)])
    samples = {name: [] for name in questions}
    for i in range(REPEAT):
        for name, requests_of in questions.items():
            samples[name].append(get(*requests_of[i % len(requests_of)])[0])
    return {name: percentiles(s) for name, s in samples.items()}


def walk(http, first, next_of):
    """Follows next links from the first page to the last: each page's latency, every next link and each page's first item."""
    latencies, links, firsts, url = [], [], [], first
    while url:
        elapsed, body = get(http, url)
        latencies.append(elapsed)
        page = json.loads(body)
        firsts.append((page.get("entry") or page.get("items") or [None])[0])
        url = next_of(page)
        if url:
            links.append(url)
    return latencies, links, firsts


def fhir_next(url):
    def of(bundle):
        link = next((l["url"] for l in bundle.get("link", []) if l["relation"] == "next"), None)
        return urllib.parse.urljoin(url + "/fhir/", link.lstrip("/")) if link else None
    return of


def api_next(first):
    def of(page):
        return first + "&cursor=" + urllib.parse.quote(page["next"]) if page.get("next") else None
    return of


def time_questions(url, work):
    ward = json.load(open(os.path.join(work, "ward.json")))
    patient = ward["patients"][0]["patient"]
    fill = json.load(open(os.path.join(work, "fill.json")))
    start, end = fill["start"], fill["end"]
    iso = lambda ms: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))  # noqa: E731
    clinician = session(export.sign_in(url))
    service = session(service_token(url, work, ward["serviceClientId"]))
    fhir = f"{url}/fhir/Observation"
    api = f"{url}/api/v1/patients/{patient}"
    month = f"date=ge{iso(start)}&date=le{iso(end)}"
    q = urllib.parse.quote

    # Walking the whole month a page of 1,000 at a time gives the month's next links; every 26th is then
    # asked again for a page of 100 (the cursor is the same whatever the page size), spread over the month.
    fhir_walk, fhir_links, fhir_firsts = walk(clinician, f"{fhir}?patient={patient}&{month}&_count=1000&_sort=date", fhir_next(url))
    api_first = f"{api}/readings?vital=heart-rate&from={q(iso(start))}&to={q(iso(end + 1000))}&limit=1000"
    api_walk, api_links, _ = walk(clinician, api_first, api_next(api_first))
    fhir_deep = [(clinician, l.replace("_count=1000", "_count=100")) for l in fhir_links[::26]]
    api_deep = [(clinician, l.replace("limit=1000", "limit=100")) for l in api_links[::26]]
    by_id = [(clinician, f"{fhir}/{entry['resource']['id']}") for entry in fhir_firsts[::26]]

    timed = ask({
        "fhir lastn max=1": [(clinician, f"{fhir}/$lastn?patient={patient}&category=vital-signs&max=1")],
        "api latest": [(clinician, f"{api}/latest")],
        "fhir lastn max=10": [(clinician, f"{fhir}/$lastn?patient={patient}&category=vital-signs&max=10")],
        "fhir 30-day page of 100, newest first": [(clinician, f"{fhir}?patient={patient}&{month}&_count=100&_sort=-date")],
        "fhir 30-day page of 100, oldest first": [(clinician, f"{fhir}?patient={patient}&{month}&_count=100&_sort=date")],
        "api 30-day page of 100 (oldest first)": [(clinician, f"{api}/readings?vital=heart-rate&from={q(iso(start))}&to={q(iso(end + 1000))}&limit=100")],
        "fhir by code, page of 100": [(clinician, f"{fhir}?patient={patient}&code={q(LOINC_HEART_RATE)}&_count=100")],
        "api by vital, page of 100": [(clinician, f"{api}/readings?vital=heart-rate&limit=100")],
        "fhir next link deep in the month, page of 100": fhir_deep,
        "api cursor deep in the month, page of 100": api_deep,
        "fhir Observation read by id (ids spread over the month)": by_id,
        "fhir 30-day page of 100, newest first, backend service": [(service, f"{fhir}?patient={patient}&{month}&_count=100&_sort=-date")],
        "fhir lastn max=1, backend service": [(service, f"{fhir}/$lastn?patient={patient}&category=vital-signs&max=1")],
    })
    timed["fhir walk of the month, pages of 1000"] = dict(percentiles(fhir_walk), seconds=round(sum(fhir_walk) / 1000, 1),
                                                           readings=(len(fhir_links) + 1) * 1000)
    timed["api walk of the month, pages of 1000"] = dict(percentiles(api_walk), seconds=round(sum(api_walk) / 1000, 1),
                                                          readings=(len(api_links) + 1) * 1000)
    print(json.dumps({"repetitions": REPEAT, "warmup": WARMUP, "readings": fill["readings"], "latencyMs": timed}, indent=2))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    else:
        time_questions(sys.argv[2], sys.argv[3])
