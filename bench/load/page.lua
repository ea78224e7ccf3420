-- wrk script: GET LOAD_PATH with the session cookie of a signed-in user (LOAD_COOKIE).
local path = os.getenv("LOAD_PATH")
local cookie = os.getenv("LOAD_COOKIE")

function request()
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
