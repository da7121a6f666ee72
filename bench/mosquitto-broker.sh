# Sourced by the bench scripts: starts Debian's Mosquitto as the pass-through peer (no persistence,
# anonymous, room to queue for a subscriber that falls behind). Expects $work (a scratch
# directory); sets $mosquitto_pid and $mosquitto_port.

mosquitto_port=18830

start_mosquitto() {
  cat > "$work/mosquitto.conf" <<CONF
listener $mosquitto_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
CONF
  mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
  mosquitto_pid=$!
  for _ in $(seq 1 40); do
    (exec 3<>/dev/tcp/127.0.0.1/$mosquitto_port) 2>/dev/null && return 0
    sleep 0.25
  done
  echo "mosquitto did not start (see $work/mosquitto.log)" >&2
  return 1
}
