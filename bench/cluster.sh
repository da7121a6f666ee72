#!/usr/bin/env bash
# Starts a local three-node OpenWard cluster on one PostgreSQL database and prints each node's
# addresses; Ctrl-C stops the nodes. For trying the cluster on one machine: every listener is on
# loopback and plain (no TLS), except the silos', which run mutual TLS with certificates this script
# issues from an authority of its own (in $CLUSTER_DIR/silo-tls, made afresh each run). Each run starts on a fresh database (openward_cluster, dropped and
# created again) and fresh data directories in $CLUSTER_DIR, with a new key-encryption key that
# every node shares.
# With LOAD_BALANCER=1 the nodes' TLS listeners are on too (one self-signed certificate for all), and
# HAProxy runs in front of them with deploy/haproxy/openward.cfg, rendered for the local nodes: it prints
# the balancer's addresses (docs/scaling.md, "Behind a load balancer").
# Needs: the .NET SDK, psql, openssl, a running PostgreSQL (tests/start-postgresql.sh sets one up); with
# LOAD_BALANCER=1 also haproxy (apt-get install haproxy).
#
#   bench/cluster.sh
#   NODES=5 bench/cluster.sh
#   LOAD_BALANCER=1 bench/cluster.sh
#   PG_SERVER="Host=db.example;Username=openward;Password=…" bench/cluster.sh
#   NODE_ARGS="--OpenWard:Devices:RequestsPerAddressPerMinute=1000000" bench/cluster.sh   # more settings for every node
set -euo pipefail

NODES=${NODES:-3}
LOAD_BALANCER=${LOAD_BALANCER:-0}
DATABASE=${DATABASE:-openward_cluster}
PG_SERVER=${PG_SERVER:-"Host=127.0.0.1;Port=5432;Username=openward_tests;Password=openward_tests"}
CLUSTER_DIR=${CLUSTER_DIR:-/tmp/openward-cluster}
export PGPASSWORD=${PGPASSWORD:-openward_tests}

[ "$NODES" -ge 1 ] && [ "$NODES" -le 9 ] || { echo "NODES must be 1 to 9" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$CLUSTER_DIR" && rm -rf "$CLUSTER_DIR"/node-* "$CLUSTER_DIR"/balancer
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

# Behind the balancer: its addresses, and one certificate for every node's listeners (the balancer passes TLS through).
balancer="$CLUSTER_DIR/balancer"
lb_https=14443 lb_mqtt_tls=18883 lb_mllp_tls=12576 lb_mqtt=11883
if [ "$LOAD_BALANCER" = 1 ]; then
  command -v haproxy > /dev/null || { echo "LOAD_BALANCER=1 needs haproxy (apt-get install haproxy)" >&2; exit 2; }
  mkdir -p "$balancer"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$balancer/nodes-key.pem" -out "$balancer/nodes.pem" 2> /dev/null
  openssl pkcs12 -export -in "$balancer/nodes.pem" -inkey "$balancer/nodes-key.pem" -out "$balancer/nodes.pfx" -passout pass:
fi

# Node n: HTTP 1508n, MQTT 1888n, silo 2111n, gateway 3100n; with the balancer also HTTPS 1544n,
# MQTT/TLS 1988n and MLLP/TLS 2576n. Every node names one issuer for its tokens, so that a token from
# any node is accepted by all: node 1's address, or the balancer's when there is one.
node_listeners() {
  local n=$1
  if [ "$LOAD_BALANCER" = 1 ]; then
    echo "--urls" "http://127.0.0.1:1508$n;https://127.0.0.1:1544$n" \
      "--OpenWard:Tls:CertificatePath=$balancer/nodes.pfx" \
      "--OpenWard:Mqtt:TlsPort=1988$n" "--OpenWard:Mqtt:TlsBindAddress=127.0.0.1" \
      "--OpenWard:Mllp:TlsPort=2576$n" "--OpenWard:Mllp:TlsBindAddress=127.0.0.1" \
      "--OpenWard:SignIn:Issuer=https://127.0.0.1:$lb_https/"
  else
    echo "--urls" "http://127.0.0.1:1508$n" "--OpenWard:Mqtt:TlsPort=0" "--OpenWard:SignIn:Issuer=http://127.0.0.1:15081/"
  fi
}

start_node() {
  local n=$1 data="$CLUSTER_DIR/node-$1"
  mkdir -p "$data"
  issue_node_certificate "$n"
  # shellcheck disable=SC2046 # node_listeners prints words without spaces
  "$server" $(node_listeners "$n") \
    --OpenWard:DataDirectory="$data" \
    --OpenWard:Mqtt:Port="1888$n" --OpenWard:Mllp:Port=0 \
    --OpenWard:Orleans:SiloPort="2111$n" --OpenWard:Orleans:GatewayPort="3100$n" \
    --OpenWard:Orleans:AdvertisedAddress=127.0.0.1 \
    --OpenWard:Store:Provider=postgresql \
    --OpenWard:Store:ConnectionString="$PG_SERVER;Database=$DATABASE" \
    --OpenWard:Cluster:Enabled=true \
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
if [ "$LOAD_BALANCER" = 1 ]; then
  # The shipped file with the local addresses: each frontend on loopback, one server line per local
  # node (from node1's), and what a system service needs (chroot, user, sockets) left to this folder.
  awk -v nodes="$NODES" -v dir="$balancer" \
      -v fe="443=$lb_https 8883=$lb_mqtt_tls 2576=$lb_mllp_tls 1883=$lb_mqtt" \
      -v be="5443=1544 8883=1988 2576=2576 1883=1888" '
    BEGIN { split(fe, f, " "); for (i in f) { split(f[i], kv, "="); front[kv[1]] = kv[2] }
            split(be, b, " "); for (i in b) { split(b[i], kv, "="); back[kv[1]] = kv[2] } }
    $1 == "chroot" || $1 == "user" || $1 == "group" { next }
    $1 == "stats" && $2 == "socket" { print "    stats socket " dir "/haproxy.sock mode 600 level admin"; next }
    $1 == "log" && $2 ~ /^\// { print "    log stderr format raw local0 info"; next }
    $1 == "maxconn" { print "    maxconn 4000"; next }
    $1 == "bind" { n = split($2, a, ":"); print "    bind 127.0.0.1:" front[a[n]]; next }
    $1 == "server" && $2 == "node1" {
      split($3, a, ":"); rest = ""; for (i = 4; i <= NF; i++) rest = rest " " $i
      for (n = 1; n <= nodes; n++) { r = rest; gsub(/node1/, "node" n, r); print "    server node" n " 127.0.0.1:" back[a[2]] n r }
      next }
    $1 == "server" { next }
    { print }' "$root/deploy/haproxy/openward.cfg" > "$balancer/openward.cfg"
  haproxy -c -q -f "$balancer/openward.cfg"
  haproxy -db -f "$balancer/openward.cfg" > "$balancer/haproxy.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 40); do
    (exec 3<>/dev/tcp/127.0.0.1/"$lb_https") 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "haproxy did not start:" >&2; cat "$balancer/haproxy.log" >&2; exit 1; }
    sleep 0.25
  done
  printf 'balancer  https://127.0.0.1:%s  mqtts 127.0.0.1:%s  mllp/tls 127.0.0.1:%s  mqtt 127.0.0.1:%s  pid %s  log %s\n' \
    "$lb_https" "$lb_mqtt_tls" "$lb_mllp_tls" "$lb_mqtt" "${pids[-1]}" "$balancer/haproxy.log"
  echo "the nodes' certificate, for clients to trust: $balancer/nodes.pem"
fi
echo "cluster $DATABASE is up with $NODES nodes; Ctrl-C stops them (kill -9 a pid to lose a node)."
wait
