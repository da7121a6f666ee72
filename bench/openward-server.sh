# Sourced by the bench scripts: builds OpenWard (Release) and starts a server with fresh state.
# Expects $root (the checkout) and $work (a scratch directory); sets $openward (the CLI),
# $server_pid and the URL and MQTT port the CLI should use. $openward_server, when set, is the
# server binary to start instead of this checkout's (another build, to compare).

openward_port=15080
openward_url=http://127.0.0.1:$openward_port
openward_mqtt_port=18831

build_openward() {
  dotnet build -c Release "$root/OpenWard.slnx" -v quiet -nologo > "$work/build.log"
  openward="$root/src/OpenWard.Cli/bin/Release/net10.0/openward"
}

# Starts the server with its data in $work/data and waits until it answers; extra arguments are
# passed on. All benchmark devices connect from one address: the per-address limit is raised.
start_openward_server() {
  "${openward_server:-$root/src/OpenWard.Server/bin/Release/net10.0/OpenWard.Server}" --urls "$openward_url" \
    --OpenWard:DataDirectory="$work/data" \
    --OpenWard:Mqtt:Port="$openward_mqtt_port" --OpenWard:Mqtt:TlsPort=0 --OpenWard:Mllp:Port=0 \
    --OpenWard:Orleans:SiloPort=21111 --OpenWard:Orleans:GatewayPort=31000 \
    --OpenWard:Devices:RequestsPerAddressPerMinute=1000000 \
    --Logging:LogLevel:Default=Warning "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    [ -f "$work/data/bootstrap-credentials.json" ] && (exec 3<>/dev/tcp/127.0.0.1/$openward_port) 2>/dev/null && return 0
    sleep 0.5
  done
  echo "the OpenWard server did not start (see $work/server.log)" >&2
  return 1
}

# Stops the server, then gives each patient of $work/ward.json one heart rate a second for $1 days ending
# an hour ago, written straight into the SQLite store as the group commit would store them; sets
# $first_reading and $last_reading (Unix ms) and $stored_readings.
fill_heart_rates() {
  kill "$server_pid"; wait "$server_pid" || true; server_pid=
  local seconds=$(($1 * 86400))
  last_reading=$(( ($(date +%s) - 3600) * 1000 - 1000 ))
  first_reading=$(( last_reading - (seconds - 1) * 1000 ))
  python3 "$root/bench/fill-readings.py" "$work/ward.json" "$first_reading" "$seconds" > "$work/readings.sql"
  time sqlite3 "$work/data/openward.db" < "$work/readings.sql" >&2
  stored_readings=$(sqlite3 "$work/data/openward.db" 'SELECT count(*) FROM readings;')
  echo "stored: $stored_readings readings, $(du -h "$work/data/openward.db" | cut -f1) database" >&2
}
