# The region agent's file (region-agent/agent.example.yaml, AgentConfig), as typed inputs. Unset
# optional fields are left out of the file, so the agent's own defaults (one place: AgentConfig)
# apply. Durations are the files' syntax: 500ms, 10s, 5m, 1h. Secrets are references only,
# file:/absolute/path or env:NAME: the agent resolves them at start, and a literal is refused here
# and by the agent.

variable "deployment" {
  description = "The deployment's id, the same in every replica's and agent's file (e.g. acme-voice)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.deployment))
    error_message = "deployment must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. acme-voice)."
  }
}

variable "region" {
  description = "The region this agent reports for (e.g. eu-central); its certificate may report for no other."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.region))
    error_message = "region must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. eu-central)."
  }
}

variable "agent_id" {
  description = "The agent's id, the last part of its SPIFFE id; null: <region>-agent (the agent's own default)."
  type        = string
  default     = null

  validation {
    condition     = var.agent_id == null || can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.agent_id))
    error_message = "agent_id must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. eu-central-a)."
  }
}

variable "replicas" {
  description = "Every control-plane replica's gRPC endpoint as host:port (e.g. [\"cp1.internal:7443\", ...]); the agent streams to all of them."
  type        = list(string)

  validation {
    condition     = length(var.replicas) > 0
    error_message = "replicas needs at least one control-plane replica (host:port)."
  }

  validation {
    condition = alltrue([for r in var.replicas : can(regex("^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$", r))
    && try(tonumber(regex("[0-9]+$", r)) >= 1 && tonumber(regex("[0-9]+$", r)) <= 65535, false)])
    error_message = "Each of replicas must be host:port with a port 1-65535 (e.g. cp1.internal:7443, [2001:db8::1]:7443)."
  }
}

variable "tls" {
  description = <<-EOT
    Mutual TLS to the replicas: PEM files the agent re-reads every `refresh` (rotation without
    restart). certificate and key default to <dir>/<agent_id>.crt and .key, trust_bundle to
    <dir>/ca.crt. The certificate must carry the agent_spiffe_id output as its URI SAN.
  EOT
  type = object({
    dir          = optional(string, "/etc/dialtone/tls")
    certificate  = optional(string)
    key          = optional(string)
    trust_bundle = optional(string)
    refresh      = optional(string)
  })
  default = {}

  validation {
    condition     = alltrue([for p in [var.tls.dir, var.tls.certificate, var.tls.key, var.tls.trust_bundle] : p == null || startswith(p, "/")])
    error_message = "tls.dir, tls.certificate, tls.key and tls.trust_bundle must be absolute paths on the agent's host."
  }

  validation {
    condition     = var.tls.refresh == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", var.tls.refresh))
    error_message = "tls.refresh must be a duration: a whole number with a unit (500ms, 30s, 5m, 1h)."
  }
}

variable "plaintext" {
  description = "Report to the replicas in the clear instead of mutual TLS: dev/lab only (the agent logs a loud warning; replicas then take reports on trust)."
  type        = bool
  default     = false
  nullable    = false
}

variable "dependencies" {
  description = <<-EOT
    The region's dependencies the agent probes, each optional (at least one is required); each
    becomes one probe, named as the drills name dependencies unless `name` says otherwise:
    llm (an OpenAI-compatible API: base_url, api_key reference; mode models or completion, the
    latter needing model), postgres (jdbc_url without credentials, user, password reference;
    replication_lag_above marks a lagging standby DEGRADED), redis (uri without credentials,
    password reference; probe_key enables a SET/GET round trip), sip (the region's SIP edge,
    probed with OPTIONS).
  EOT
  type = object({
    llm = optional(object({
      name     = optional(string, "llm")
      base_url = string
      api_key  = string
      mode     = optional(string)
      model    = optional(string)
    }))
    postgres = optional(object({
      name                  = optional(string, "db")
      jdbc_url              = string
      user                  = string
      password              = optional(string)
      replication_lag_above = optional(string)
    }))
    redis = optional(object({
      name          = optional(string, "cache")
      uri           = string
      password      = optional(string)
      probe_key     = optional(string)
      probe_key_ttl = optional(string)
    }))
    sip = optional(object({
      name = optional(string, "carrier")
      uri  = string
    }))
  })

  validation {
    condition     = anytrue([for d in values(var.dependencies) : d != null])
    error_message = "dependencies needs at least one of llm, postgres, redis, sip: an agent with no probe has nothing to report."
  }

  validation {
    condition = alltrue([for d in values(var.dependencies) : d == null || can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", d.name))])
    # The names must also differ from each other: the agent refuses a duplicate probe name.
    error_message = "Each dependency's name must be letters, digits, '.', '_' or '-', starting with a letter or digit."
  }

  validation {
    condition     = length(distinct([for d in values(var.dependencies) : d.name if d != null])) == length([for d in values(var.dependencies) : d if d != null])
    error_message = "Each dependency's probe name must differ from the others'."
  }

  validation {
    condition = alltrue([for s in [
      try(var.dependencies.llm.api_key, null),
      try(var.dependencies.postgres.password, null),
      try(var.dependencies.redis.password, null),
    ] : s == null || can(regex("^(file:/.+|env:[A-Za-z_][A-Za-z0-9_]*)$", s))])
    error_message = "llm.api_key, postgres.password and redis.password must be references, file:/absolute/path or env:NAME, never the secret itself."
  }

  validation {
    condition     = var.dependencies.llm == null || can(regex("^https?://[^/\\s]+", var.dependencies.llm.base_url))
    error_message = "llm.base_url must be an http(s) URL (e.g. https://api.openai.com)."
  }

  validation {
    condition     = var.dependencies.llm == null || try(contains(["models", "completion"], lower(coalesce(var.dependencies.llm.mode, "models"))), false)
    error_message = "llm.mode must be models (list the models) or completion (a one-token chat completion, which needs llm.model)."
  }

  validation {
    condition     = var.dependencies.llm == null || try(lower(var.dependencies.llm.mode) != "completion", true) || try(length(var.dependencies.llm.model) > 0, false)
    error_message = "llm.model is required with llm.mode = completion."
  }

  validation {
    condition = var.dependencies.postgres == null || (can(regex("^jdbc:postgresql://[^/\\s]+(/.*)?$", var.dependencies.postgres.jdbc_url))
    && !can(regex("(?i)[?&]password=", var.dependencies.postgres.jdbc_url)))
    error_message = "postgres.jdbc_url must be jdbc:postgresql://host[:port]/database, without a password (set postgres.password to a reference)."
  }

  validation {
    condition     = var.dependencies.redis == null || can(regex("^rediss?://[^@/\\s]+(/.*)?$", var.dependencies.redis.uri))
    error_message = "redis.uri must be redis://host:port or rediss://host:port, without credentials (set redis.password to a reference)."
  }

  validation {
    condition     = var.dependencies.sip == null || can(regex("^(?i)sips?:\\S+$", var.dependencies.sip.uri))
    error_message = "sip.uri must be a sip: or sips: URI (e.g. sip:edge.eu-central.example.com:5060;transport=udp)."
  }

  validation {
    condition = alltrue([for d in [
      try(var.dependencies.postgres.replication_lag_above, null),
      try(var.dependencies.redis.probe_key_ttl, null),
    ] : d == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", d))])
    error_message = "postgres.replication_lag_above and redis.probe_key_ttl must be durations: a whole number with a unit (500ms, 5s, 1m)."
  }
}

variable "probe_settings" {
  description = <<-EOT
    Schedule and thresholds of the probes, by probe name; the key "*" applies to every probe, a
    probe's own name overrides it field by field. Fields: critical (default true: the region is
    DOWN when it is), interval, timeout (shorter than interval), degraded_above (shorter than
    timeout: slower is DEGRADED), fail_after and recover_after (consecutive results). Unset: the
    agent's defaults.
  EOT
  type = map(object({
    critical       = optional(bool)
    interval       = optional(string)
    timeout        = optional(string)
    degraded_above = optional(string)
    fail_after     = optional(number)
    recover_after  = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition = alltrue(flatten([for s in values(var.probe_settings) : [
      for d in [s.interval, s.timeout, s.degraded_above] : d == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", d))
    ]]))
    error_message = "probe_settings' interval, timeout and degraded_above must be durations: a whole number with a unit (500ms, 1s, 2m)."
  }

  validation {
    condition = alltrue(flatten([for s in values(var.probe_settings) : [
      for n in [s.fail_after, s.recover_after] : n == null || try(n >= 1 && floor(n) == n, false)
    ]]))
    error_message = "probe_settings' fail_after and recover_after must be whole numbers of at least 1."
  }
}

variable "vantage" {
  description = "Other regions' public SIP edges, probed with OPTIONS from here (the region id and its edge's sip: URI), with optional interval, timeout, fail_after, recover_after."
  type = list(object({
    region        = string
    uri           = string
    interval      = optional(string)
    timeout       = optional(string)
    fail_after    = optional(number)
    recover_after = optional(number)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for v in var.vantage : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", v.region)) && can(regex("^(?i)sips?:\\S+$", v.uri))])
    error_message = "Each vantage entry needs a region id (lower-case letters, digits, dashes) and a sip: or sips: URI."
  }

  validation {
    condition     = alltrue(flatten([for v in var.vantage : [for d in [v.interval, v.timeout] : d == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", d))]]))
    error_message = "vantage interval and timeout must be durations: a whole number with a unit (500ms, 2s)."
  }
}

variable "agent_settings" {
  description = <<-EOT
    The agent's own schedule and connection: report_interval, ready_window (/readyz: every
    critical dependency UP within it), warm_up (0 skips), http_port (loopback /healthz, /readyz,
    /metrics), keep_alive_time (the replicas must permit it), keep_alive_timeout,
    reconnect_initial and reconnect_max (backoff with full jitter). Unset: the agent's defaults.
  EOT
  type = object({
    report_interval    = optional(string)
    ready_window       = optional(string)
    warm_up            = optional(string)
    http_port          = optional(number)
    keep_alive_time    = optional(string)
    keep_alive_timeout = optional(string)
    reconnect_initial  = optional(string)
    reconnect_max      = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for d in [
      var.agent_settings.report_interval, var.agent_settings.ready_window, var.agent_settings.warm_up,
      var.agent_settings.keep_alive_time, var.agent_settings.keep_alive_timeout,
      var.agent_settings.reconnect_initial, var.agent_settings.reconnect_max,
    ] : d == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", d))])
    error_message = "agent_settings' durations must be a whole number with a unit (500ms, 1s, 2m)."
  }

  validation {
    condition     = var.agent_settings.http_port == null || try(var.agent_settings.http_port >= 0 && var.agent_settings.http_port <= 65535 && floor(var.agent_settings.http_port) == var.agent_settings.http_port, false)
    error_message = "agent_settings.http_port must be 0-65535 (0 picks a free port)."
  }
}

variable "config_path" {
  description = "Where the agent's file is installed on its host; the systemd unit's --config points there."
  type        = string
  default     = "/etc/dialtone/agent.yaml"
  nullable    = false

  validation {
    condition     = startswith(var.config_path, "/")
    error_message = "config_path must be an absolute path."
  }
}

variable "systemd_unit_source" {
  description = "The agent's unit to render; null: deploy/systemd/dialtone-agent.service of the checkout this module is in (set it when the module's source copies only its own folder)."
  type        = string
  default     = null
}
