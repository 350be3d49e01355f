-- Mixed load for bench/mixed-load.sh: public reads, API reads, pledges (form posts with the signed form
-- token), forum replies and spreadsheet imports (API with a bearer token), in fixed proportions.
-- Every write sent is counted per thread and reported in done(), so the script can compare with the database.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

local function readfile(path)
  local f = assert(io.open(path, "rb")); local s = f:read("*a"); f:close(); return s
end

function init(args)
  local token, thread, countries = os.getenv("MIX_TOKEN"), os.getenv("MIX_THREAD"), {}
  -- Each pledge form token counts once: thread k takes every other token of the pool, from the k-th on.
  formtokens = {}
  local line_no = 0
  for line in io.lines(os.getenv("MIX_FORMTOKENS")) do
    line_no = line_no + 1
    if line ~= "" and line_no % 2 == (index - 1) % 2 then table.insert(formtokens, line) end
  end
  for c in string.gmatch(os.getenv("MIX_COUNTRIES"), "[^,]+") do table.insert(countries, c) end
  local import_body = readfile(os.getenv("MIX_IMPORT"))
  local auth = "Bearer " .. token
  reads = {
    wrk.format("GET", "/en/"), wrk.format("GET", "/es/stories"), wrk.format("GET", "/pap/"), wrk.format("GET", "/pt/facts"),
    wrk.format("GET", "/es/documents"), wrk.format("GET", "/api/v1/organisations"), wrk.format("GET", "/api/v1/pledges/summary"),
    wrk.format("GET", "/en/forum"),
  }
  n, pledges, posts, imports, id = 0, 0, 0, 0, math.random(1, 1000000)
  make_pledge = function()
    local c = countries[(n % #countries) + 1]
    local formtoken = table.remove(formtokens)
    return wrk.format("POST", "/en/pledge", { ["Content-Type"] = "application/x-www-form-urlencoded" },
      "__PledgeToken=" .. formtoken .. "&Country=" .. c .. "&FirstName=Bench&Website=")
  end
  make_post = function()
    return wrk.format("POST", "/api/v1/forum/threads/" .. thread .. "/posts",
      { ["Content-Type"] = "application/json", ["Authorization"] = auth },
      '{"body":"Load test reply ' .. id .. '-' .. n .. ' about shelter coordination in the border towns."}')
  end
  make_import = function()
    return wrk.format("POST", "/api/v1/reports/import",
      { ["Content-Type"] = "multipart/form-data; boundary=closerbench", ["Authorization"] = auth }, import_body)
  end
  statuses = {}
end

-- Of every 100 requests: 80 reads, 10 pledges, 8 forum replies, 2 imports. MIX_WEIGHTS="pledges,posts,imports"
-- (per 100) changes the mix, e.g. "0,8,0" to look at one kind of write alone.
local weights = {}
for w in string.gmatch(os.getenv("MIX_WEIGHTS") or "10,8,2", "%d+") do table.insert(weights, tonumber(w)) end
local w_pledge, w_post = weights[1], weights[1] + weights[2]
local w_import = w_post + weights[3]

function request()
  n = n + 1
  local k = n % 100
  if k < w_pledge and #formtokens > 0 then pledges = pledges + 1; return make_pledge()
  elseif k >= w_pledge and k < w_post then posts = posts + 1; return make_post()
  elseif k >= w_post and k < w_import then imports = imports + 1; return make_import()
  end
  return reads[(n % #reads) + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local p, f, i, st = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    p = p + t:get("pledges"); f = f + t:get("posts"); i = i + t:get("imports")
    local s = t:get("statuses")
    for code, count in pairs(s) do st[code] = (st[code] or 0) + count end
  end
  io.write(string.format("MIX sent pledges=%d posts=%d imports=%d\n", p, f, i))
  for code, count in pairs(st) do io.write(string.format("MIX status %d=%d\n", code, count)) end
end
