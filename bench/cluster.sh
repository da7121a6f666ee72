#!/usr/bin/env bash
# Starts a local three-node OpenWard cluster on one PostgreSQL database and prints each node's
# addresses; Ctrl-C stops the nodes. For trying the cluster on one machine: every listener is on
# loopback and plain (no TLS), except the silos', which run mutual TLS with certificates this script
# issues from an authority of its own (in $CLUSTER_DIR/silo-tls, made afresh each run). Each run starts on a fresh database (openward_cluster, dropped and
# created again) and fresh data directories in $CLUSTER_DIR, with a new key-encryption key that
# every node shares.
# Needs: the .NET SDK, psql, openssl, a running PostgreSQL (tests/start-postgresql.sh sets one up).
#
#   bench/cluster.sh
#   NODES=5 bench/cluster.sh
#   PG_SERVER="Host=db.example;Username=openward;Password=…" bench/cluster.sh
#   NODE_ARGS="--OpenWard:Devices:RequestsPerAddressPerMinute=1000000" bench/cluster.sh   # more settings for every node
set -euo pipefail

NODES=${NODES:-3}
DATABASE=${DATABASE:-openward_cluster}
PG_SERVER=${PG_SERVER:-"Host=127.0.0.1;Port=5432;Username=openward_tests;Password=openward_tests"}
CLUSTER_DIR=${CLUSTER_DIR:-/tmp/openward-cluster}
export PGPASSWORD=${PGPASSWORD:-openward_tests}

[ "$NODES" -ge 1 ] && [ "$NODES" -le 9 ] || { echo "NODES must be 1 to 9" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$CLUSTER_DIR" && rm -rf "$CLUSTER_DIR"/node-*
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "building OpenWard (Release)…" >&2
dotnet build -c Release "$root/src/OpenWard.Server" -v quiet -nologo > "$CLUSTER_DIR/build.log"
server="$root/src/OpenWard.Server/bin/Release/net10.0/OpenWard.Server"

psql -h 127.0.0.1 -U openward_tests -d postgres -qc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"

# One key-encryption key for every node: it wraps the keys that seal protected columns in the shared
# store. Here in the environment of this script's nodes only; a real deployment takes it from its secret store.
OpenWard__Encryption__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)"
export OpenWard__Encryption__KeyEncryptionKey

# The silos' certificates: an authority for this cluster, and for each node a certificate for
# 127.0.0.1 that can be both ends of a connection (docs/security.md, "Between the nodes").
tls="$CLUSTER_DIR/silo-tls"
rm -rf "$tls" && mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=OpenWard local cluster authority" \
  -keyout "$tls/ca.key" -out "$tls/ca.pem" \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1\n' > "$tls/node.ext"
issue_node_certificate() {
  local n=$1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=openward-node-$n" \
    -keyout "$tls/node-$n.key" -out "$tls/node-$n.csr" 2>/dev/null
  openssl x509 -req -in "$tls/node-$n.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 30 \
    -extfile "$tls/node.ext" -out "$tls/node-$n.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$tls/node-$n.key" -in "$tls/node-$n.pem" -out "$tls/node-$n.pfx" -passout pass:
}

# Node n: HTTP 1508n, MQTT 1888n, silo 2111n, gateway 3100n. Every node names node 1's address as
# its tokens' issuer, so that a token from any node is accepted by all (in a deployment: the load balancer's).
start_node() {
  local n=$1 data="$CLUSTER_DIR/node-$1"
  mkdir -p "$data"
  issue_node_certificate "$n"
  "$server" --urls "http://127.0.0.1:1508$n" \
    --OpenWard:DataDirectory="$data" \
    --OpenWard:Mqtt:Port="1888$n" --OpenWard:Mqtt:TlsPort=0 --OpenWard:Mllp:Port=0 \
    --OpenWard:Orleans:SiloPort="2111$n" --OpenWard:Orleans:GatewayPort="3100$n" \
    --OpenWard:Orleans:AdvertisedAddress=127.0.0.1 \
    --OpenWard:Store:Provider=postgresql \
    --OpenWard:Store:ConnectionString="$PG_SERVER;Database=$DATABASE" \
    --OpenWard:Cluster:Enabled=true \
    --OpenWard:SignIn:Issuer="http://127.0.0.1:15081/" \
    --OpenWard:Orleans:Tls:CertificatePath="$tls/node-$n.pfx" \
    --OpenWard:Orleans:Tls:CaCertificatePath="$tls/ca.pem" \
    --Logging:LogLevel:Default=Warning ${NODE_ARGS:-} > "$data/node.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 180); do
    (exec 3<>/dev/tcp/127.0.0.1/1508"$n") 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/1888"$n") 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  echo "node $n did not start; the end of its log ($data/node.log):" >&2
  tail -20 "$data/node.log" >&2
  return 1
}

# The first node sets the store up (schema, bootstrap administrator); the others then join.
for n in $(seq 1 "$NODES"); do
  start_node "$n"
  printf 'node %s  http://127.0.0.1:1508%s  mqtt 127.0.0.1:1888%s  silo 127.0.0.1:2111%s  pid %s  log %s\n' \
    "$n" "$n" "$n" "$n" "${pids[-1]}" "$CLUSTER_DIR/node-$n/node.log"
done

for n in $(seq 1 "$NODES"); do
  credentials="$CLUSTER_DIR/node-$n/bootstrap-credentials.json"
  [ -f "$credentials" ] && echo "the administrator's first credentials: $credentials"
done
echo "cluster $DATABASE is up with $NODES nodes; Ctrl-C stops them (kill -9 a pid to lose a node)."
wait
