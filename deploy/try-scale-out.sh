#!/usr/bin/env bash
# Follows the README's "Running on several machines" from scratch, on one machine: a PostgreSQL role and
# database, a Redis, `dotnet publish`, deploy/closer.env.example filled in, two nodes started as the systemd
# unit starts them (same command, environment file and working directory), deploy/nginx.conf in front with
# a self-signed certificate, the first administrator from the CLI, then checks through the proxy, a node
# failure, and the PostgreSQL backup recipe. Writes bench/results/scale-out-walkthrough.md.
# Needs root, a running local PostgreSQL, redis-server, nginx and openssl (apt-get install postgresql
# redis-server nginx-light openssl). Ports: 5081-5082 (nodes), 6392 (Redis), 8080/8443 (nginx), loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
w=$(mktemp -d /tmp/closer-walk.XXXX)
chmod 755 "$w"
db=closer_walk_$$
log="$w/steps.md"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$w/nginx.pid" ] && kill "$(cat "$w/nginx.pid")" 2>/dev/null || true
  su postgres -c "dropdb --if-exists --force $db; dropdb --if-exists --force ${db}_restored; dropuser --if-exists $db" >/dev/null 2>&1 || true
  rm -rf "$w"
}
trap cleanup EXIT
step() { echo "- $*" | tee -a "$log"; }

# 1. Database: a role and a database (the README's createuser -P / createdb -O, non-interactive here).
password="walk-$(openssl rand -hex 12)"
su postgres -c "psql -q -c \"CREATE ROLE $db LOGIN PASSWORD '$password'\"" >/dev/null
su postgres -c "createdb -O $db $db"
step "1. PostgreSQL: role and database \`$db\` created"

# 2. Redis.
redis-server --port 6392 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$w/redis.pid" >/dev/null
pids+=("$(sleep 0.5; cat "$w/redis.pid")")
step "2. Redis on 127.0.0.1:6392"

# 3. Nodes: publish, the environment file from the example, the unit's command on two ports.
dotnet publish src/Closer.Web -c Release -o "$w/opt/closer" -v q -nologo >/dev/null
mkdir -p "$w/opt/closer/data" "$w/etc"
sed -e "s|Host=db.internal;Database=closer;Username=closer;Password=CHANGE-ME|Host=127.0.0.1;Database=$db;Username=$db;Password=$password|" \
    -e "s|cache.internal:6379|127.0.0.1:6392|" \
    -e "s|Proxy__KnownProxies=\"10.0.0.10\"|Proxy__KnownProxies=\"127.0.0.1\"|" \
    -e "s|https://closer.example.org|https://localhost:8443|" \
    -e "/^Email__Smtp__/d" deploy/closer.env.example > "$w/etc/closer.env"
echo "Email__PickupDirectory=\"$w/opt/closer/data/mail\"" >> "$w/etc/closer.env"
chmod 640 "$w/etc/closer.env"
unit_env() { grep '^Environment=' deploy/closer.service | sed 's/^Environment=//'; }
start_node() { # port
  (
    cd "$w/opt/closer"
    set -a; . "$w/etc/closer.env"; eval "$(unit_env | sed 's/^/export /')"; set +a
    export ASPNETCORE_URLS="http://127.0.0.1:$1"
    exec $(grep '^ExecStart=' "$repo/deploy/closer.service" | sed "s|^ExecStart=||; s|/opt/closer|$w/opt/closer|")
  ) >"$w/node-$1.log" 2>&1 &
  pids+=($!)
}
start_node 5081; start_node 5082
for port in 5081 5082; do
  for i in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null
done
sql() { su postgres -c "psql -tA -d $1" <<< "$2"; }
migrations=$(sql $db 'SELECT count(*) || '"' applied, '"' || count(DISTINCT "MigrationId") || '"' distinct'"' FROM "__EFMigrationsHistory"')
step "3. published with \`dotnet publish -c Release\`; two nodes started together with the unit's ExecStart and closer.env; both ready; migrations: $migrations"

# 4. Proxy: deploy/nginx.conf with the two nodes, a self-signed certificate, ports 8080/8443.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -keyout "$w/key.pem" -out "$w/cert.pem" >/dev/null 2>&1
mkdir -p "$w/conf.d"
python3 - "$repo/deploy/nginx.conf" "$w/conf.d/closer.conf" "$w" <<'PY'
import re, sys
src, dst, w = sys.argv[1:]
s = open(src).read()
s = re.sub(r"server 10\.0\.0\.11:5080", "server 127.0.0.1:5081", s)
s = re.sub(r"server 10\.0\.0\.12:5080", "server 127.0.0.1:5082", s)
s = s.replace("closer.example.org", "localhost").replace("listen 80;", "listen 127.0.0.1:8080;").replace("listen 443 ssl", "listen 127.0.0.1:8443 ssl")
s = re.sub(r"\s*listen \[::\]:\d+[^;]*;", "", s)
s = s.replace("https://$host$request_uri", "https://$host:8443$request_uri")
s = s.replace("/etc/letsencrypt/live/localhost/fullchain.pem", f"{w}/cert.pem").replace("/etc/letsencrypt/live/localhost/privkey.pem", f"{w}/key.pem")
open(dst, "w").write(s)
PY
cat > "$w/nginx.conf" <<EOF
worker_processes 1;
pid $w/nginx.pid;
error_log $w/nginx-error.log;
events { worker_connections 256; }
http {
  log_format upstream '\$upstream_addr \$status "\$request"';
  access_log $w/nginx-access.log upstream;
  client_body_temp_path $w/tmp; proxy_temp_path $w/tmp; fastcgi_temp_path $w/tmp; uwsgi_temp_path $w/tmp; scgi_temp_path $w/tmp;
  include /etc/nginx/mime.types;
  include $w/conf.d/closer.conf;
}
EOF
mkdir -p "$w/tmp"
nginx -t -p "$w" -c "$w/nginx.conf" 2>&1 | tail -1 | sed 's/^/  /' | tee -a "$log"
nginx -p "$w" -c "$w/nginx.conf"
step "4. nginx $(nginx -v 2>&1 | cut -d/ -f2) runs deploy/nginx.conf (upstream, server_name, certificate and ports adapted)"

# 5. First administrator, with the service's environment.
(cd "$w/opt/closer"; set -a; . "$w/etc/closer.env"; set +a; echo 'walkthrough passphrase' | dotnet Closer.Web.dll users add --email admin@walk.invalid --role PlatformAdmin --password-stdin >/dev/null)
step "5. first administrator added with \`users add\` and the service's environment"

# Checks through the proxy.
site=https://localhost:8443
c() { curl -sk --resolve localhost:8443:127.0.0.1 --resolve localhost:8080:127.0.0.1 "$@"; }
[ "$(c -o /dev/null -w '%{http_code}' http://localhost:8080/en/)" = 301 ] && step "check: http → 301 to https"
[ "$(c -o /dev/null -w '%{http_code} %{http_version}' $site/en/)" = "200 2" ] && step "check: /en/ over TLS and HTTP/2 through the proxy: 200"
css=$(c $site/en/ | grep -o '/css/site\.[a-z0-9]*\.css' | head -1)
c -D - -o /dev/null -H 'Accept-Encoding: gzip' "$site$css" | grep -qi '^content-encoding: gzip' && \
c -D - -o /dev/null "$site$css" | grep -qi 'cache-control: public, max-age=31536000, immutable' && step "check: fingerprinted CSS gzip-compressed and cached for a year"
jar="$w/cookies"
form=$(c -c "$jar" -b "$jar" $site/account/login)
token=$(echo "$form" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')
headers=$(c -c "$jar" -b "$jar" -D - -o /dev/null --data-urlencode "Input.Email=admin@walk.invalid" --data-urlencode "Input.Password=walkthrough passphrase" \
  --data-urlencode "__RequestVerificationToken=$token" $site/account/login)
echo "$headers" | grep -qi '^set-cookie: .*secure' && step "check: sign-in through the proxy sets a Secure cookie (X-Forwarded-Proto believed from the known proxy)"
ok=0; for i in $(seq 1 10); do [ "$(c -b "$jar" -o /dev/null -w '%{http_code}' $site/admin/)" = 200 ] && ok=$((ok + 1)); done
nodes=$(grep '"GET /admin/ ' "$w/nginx-access.log" | cut -d' ' -f1 | sort -u | wc -l)
[ $ok = 10 ] && [ "$nodes" = 2 ] && step "check: 10 back-office requests spread over both nodes (nginx's upstream log), all signed in (shared data-protection keys)"
kill "${pids[-2]}"; wait "${pids[-2]}" 2>/dev/null || true
ok=0; for i in $(seq 1 10); do [ "$(c -b "$jar" -o /dev/null -w '%{http_code}' $site/en/stories)" = 200 ] && ok=$((ok + 1)); done
[ $ok = 10 ] && step "check: node 1 stopped — 10 of 10 requests still answered by node 2"

# Backup and restore, as the README's recipe.
PGPASSWORD=$password pg_dump -Fc -h 127.0.0.1 -U $db -f "$w/closer.dump" $db
su postgres -c "createdb -O $db ${db}_restored"
PGPASSWORD=$password pg_restore --no-owner -h 127.0.0.1 -U $db -d ${db}_restored "$w/closer.dump"
count='SELECT (SELECT count(*) FROM "Countries") || '"' countries, '"' || (SELECT count(*) FROM "AspNetUsers") || '"' user(s)'"''
a=$(sql $db "$count"); b=$(sql ${db}_restored "$count")
[ "$a" = "$b" ] && step "backup: pg_dump -Fc and pg_restore into a new database — $b in both"

mkdir -p bench/results
{
  echo "# The README's \"Running on several machines\", followed from scratch"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo "- machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), PostgreSQL $(su postgres -c 'psql -tA -c "SHOW server_version"'), Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"
  echo "- command: \`deploy/try-scale-out.sh\` (as root) — every step below printed only when its check passed"
  echo
  cat "$log"
} > bench/results/scale-out-walkthrough.md
cat bench/results/scale-out-walkthrough.md
