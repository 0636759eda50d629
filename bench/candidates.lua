-- POST /api/v1/persons/candidates: the duplicate check an operator's form runs before saving.
-- Names come from the synthetic generator's common names, typed in varied ways (Arabic letters,
-- a space for the ZWNJ), so most lookups hit long candidate lists, as at a real front desk.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local first = {"محمد", "علی", "حسین", "رضا", "مهدی", "حسن", "محمدرضا", "محمد رضا", "علي", "امیر",
               "جواد", "سعید", "مجید", "حمید", "ابراهیم", "اسماعیل", "اسمعیل", "یوسف", "عباس", "کاظم"}
local last = {"محمدی", "احمدی", "حسینی", "رضایی", "کریمی", "رحیمی", "موسوی", "جعفری", "قاسمی",
              "حسین‌زاده", "حسين زاده", "نوری", "صادقی", "کاظمی", "رسولی", "عباسی", "ملکی",
              "اکبری", "یوسفی", "مرادی"}
local father = {"احمد", "حسن", "غلامرضا", "محمود", "عباس", "قربان", "علی", "رمضان"}
local bodies = {}
for i = 1, 400 do
  local f = first[(i * 7) % #first + 1]
  local l = last[(i * 13) % #last + 1]
  local p = father[(i * 3) % #father + 1]
  bodies[i] = string.format(
    '{"first_name":"%s","last_name":"%s","father_name":"%s","sex":"male","birth_year":%d}',
    f, l, p, 1340 + (i % 45))
end
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/persons/candidates", nil, bodies[n % #bodies + 1])
end
