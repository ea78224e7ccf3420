-- wrk script: POST /api/v1/respond/distributions with a bearer token (LOAD_TOKEN).
-- Each thread draws its rows from its own fixed seed, so a run is reproducible.
local token = os.getenv("LOAD_TOKEN")
local areas = { "SY0602", "SY0603", "SY0604", "SY0401", "SY0402", "SY0501" }
local items = { "food-basket", "bread", "ready-meal", "hygiene-kit" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", 42 + counter)
end

function init(args)
  math.randomseed(seed or 42)
end

function request()
  local q = math.random(1, 500)
  local body = string.format(
    '{"date":"2025-03-%02d","area":"%s","item":"%s","quantity":%d,"households":%d,"individuals":%d}',
    math.random(6, 13), areas[math.random(#areas)], items[math.random(#items)], q, q, q * 4)
  return wrk.format("POST", "/api/v1/respond/distributions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
