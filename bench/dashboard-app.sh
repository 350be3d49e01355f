# Sourced by bench/dashboard.sh and bench/maps.sh: the dashboard bench's generated SQLite file, then the app serving it.
# The caller sets rows, port, work and the bench's mode variable (BENCH_RESULTS or BENCH_MAPS) before calling.

# Builds the generator and runs it: "$rows" generated 5W rows and their aggregates in "$work/dashboard.db".
generate_dashboard_file() {
  dotnet build bench/Closer.Bench.Dashboards -c Release -v q -nologo >/dev/null
  dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll "$rows" "$work/dashboard.db"
}

# Starts the app (Release, Production settings) on that file, bound to 127.0.0.1:$port, and waits until it is ready;
# the app is stopped and the work folder removed when the script exits.
serve_dashboard_file() {
  export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=false Site__PublicBaseUrl="http://127.0.0.1:$port"
  export ConnectionStrings__Closer="Data Source=$work/dashboard.db" Email__PickupDirectory="$work/mail"
  export ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
  (cd src/Closer.Web && exec dotnet bin/Release/net10.0/Closer.Web.dll) >"$work/app.log" 2>&1 &
  app=$!
  trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT
  for i in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
}
