-- Argo CD health check for atomizer.io/AtomizerAgent.
-- Reads the status the operator writes (kstatus conditions Ready, Reconciling, Stalled, plus the
-- phase) and maps it onto Argo CD's health states:
--   Progressing  no status yet, status.observedGeneration behind metadata.generation,
--                Reconciling=True, or anything not yet Ready that needs no human
--   Suspended    phase Suspended (spec.suspend: true) once the pod is gone
--   Degraded     Stalled=True: only a human can fix it (bad token, crash loop, ...)
--   Healthy      Ready=True for the current generation
-- Written for Lua 5.1 (Argo CD's gopher-lua); examples/gitops/argocd/argocd-cm.yaml embeds it.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    if c.reason ~= nil and c.reason ~= "" then
      return c.reason .. ": " .. c.message
    end
    return c.message
  end
  return fallback
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status."
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation) .. "."
  return hs
end

local ready = condition(status, "Ready")
local reconciling = condition(status, "Reconciling")
local stalled = condition(status, "Stalled")

if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled, "The agent needs attention.")
  return hs
end

if status.phase == "Suspended" then
  if isTrue(reconciling) then
    hs.status = "Progressing"
    hs.message = describe(reconciling, "Suspending.")
  else
    hs.status = "Suspended"
    hs.message = describe(ready, "The agent is suspended.")
  end
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = describe(ready, "The agent is running.")
  local inbox = condition(status, "InboxHealthy")
  if inbox ~= nil and inbox.status == "False" then
    hs.message = hs.message .. " " .. describe(inbox, "INBOX backlogged.")
  end
  return hs
end

hs.status = "Progressing"
if isTrue(reconciling) then
  hs.message = describe(reconciling, "Reconciling.")
else
  hs.message = describe(ready, "Waiting for the agent to become ready.")
end
return hs
