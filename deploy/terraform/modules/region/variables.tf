# A region as a provisioning pipeline adds it: registered with the control plane (dialtone_region)
# and its agent's file and unit rendered (./config, provider-free). The agent's inputs are passed to
# ./config unchanged, which checks them; see config/variables.tf for every field.

variable "deployment" {
  description = "The deployment's id, the same in every replica's and agent's file (e.g. acme-voice)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.deployment))
    error_message = "deployment must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. acme-voice)."
  }
}

variable "region" {
  description = "The region's id (e.g. eu-central): lower-case letters, digits and dashes; never reuse a removed region's id for another place."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.region))
    error_message = "region must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. eu-central)."
  }
}

variable "priority" {
  description = "The region's priority: lower is preferred (1 = primary); it must differ from every other region's."
  type        = number

  validation {
    condition     = var.priority >= 0 && floor(var.priority) == var.priority
    error_message = "priority must be a whole number of at least 0 (lower is preferred)."
  }
}

variable "edge" {
  description = "The region's public edge, what DNS and carriers are pointed at when it is active: ipv4 (A), ipv6 (AAAA), sip_uri (the URI carriers send calls to, SRV targets), cname; at least one."
  type = object({
    ipv4    = optional(list(string), [])
    ipv6    = optional(list(string), [])
    sip_uri = optional(string)
    cname   = optional(string)
  })

  validation {
    condition     = length(var.edge.ipv4) + length(var.edge.ipv6) > 0 || var.edge.sip_uri != null || var.edge.cname != null
    error_message = "edge needs at least one of ipv4, ipv6, sip_uri, cname."
  }

  validation {
    condition     = alltrue([for a in var.edge.ipv4 : can(cidrnetmask("${a}/32")) && can(regex("^[0-9.]+$", a))])
    error_message = "edge.ipv4 must hold IPv4 addresses (e.g. 203.0.113.10), not host names or CIDR blocks."
  }

  validation {
    condition     = alltrue([for a in var.edge.ipv6 : can(cidrhost("${a}/128", 0)) && strcontains(a, ":")])
    error_message = "edge.ipv6 must hold IPv6 addresses (e.g. 2001:db8::10)."
  }

  validation {
    condition     = var.edge.sip_uri == null || can(regex("^(?i)sips?:\\S+$", var.edge.sip_uri))
    error_message = "edge.sip_uri must be a sip: or sips: URI (e.g. sip:edge.eu-central.example.com:5060)."
  }

  validation {
    condition     = var.edge.cname == null || can(regex("^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]\\.?$", var.edge.cname))
    error_message = "edge.cname must be a DNS name (e.g. edge.eu-central.example.com.)."
  }
}

variable "reason" {
  description = "Why, recorded in the deployment's history with every registration, drain and deregistration (null: the provider's default)."
  type        = string
  default     = null
}

variable "in_rotation" {
  description = "false drains the region (switching over first if it is active) without forgetting it; true puts a draining region back, a standby again once proven healthy (null: the provider's default)."
  type        = bool
  default     = null
}

variable "wait_for_standby" {
  description = "Whether apply waits until the region, registered as PROVISIONING, is proven healthy by its agent and becomes a STANDBY (null: the provider's default). The agent must be running by then: see agent_ready."
  type        = bool
  default     = null
}

variable "standby_timeout" {
  description = "How long apply waits for STANDBY before failing (e.g. 15m; null: the provider's default). The control plane's policy.provisioningHealthyFor is the least it can take."
  type        = string
  default     = null

  validation {
    condition     = var.standby_timeout == null || can(regex("^[0-9]+(ms|s|m|h)$", var.standby_timeout))
    error_message = "standby_timeout must be a duration: a whole number with a unit (30s, 15m, 1h)."
  }
}

variable "drain_timeout" {
  description = "How long destroy (or in_rotation = false) waits for the drained region to carry no traffic before deregistering it (e.g. 10m; null: the provider's default)."
  type        = string
  default     = null

  validation {
    condition     = var.drain_timeout == null || can(regex("^[0-9]+(ms|s|m|h)$", var.drain_timeout))
    error_message = "drain_timeout must be a duration: a whole number with a unit (30s, 10m, 1h)."
  }
}

variable "agent_ready" {
  description = "Anything known once the region's agent runs (the id of the instance booted with the agent_config output, a deploy job's id): registration waits for it, so wait_for_standby has an agent to hear from. null: register at once."
  type        = any
  default     = null
}

# The agent's inputs, checked by ./config.

variable "agent_id" {
  description = "The agent's id, the last part of its SPIFFE id; null: <region>-agent."
  type        = string
  default     = null
}

variable "replicas" {
  description = "Every control-plane replica's gRPC endpoint as host:port, as the agent reaches them (e.g. the control-plane module's agent_endpoints)."
  type        = list(string)
}

variable "tls" {
  description = "The agent's PEM files: dir (default /etc/dialtone/tls), certificate (<dir>/<agent_id>.crt), key (<dir>/<agent_id>.key), trust_bundle (<dir>/ca.crt), refresh."
  type = object({
    dir          = optional(string, "/etc/dialtone/tls")
    certificate  = optional(string)
    key          = optional(string)
    trust_bundle = optional(string)
    refresh      = optional(string)
  })
  default = {}
}

variable "plaintext" {
  description = "The agent reports in the clear instead of mutual TLS: dev/lab only."
  type        = bool
  default     = false
  nullable    = false
}

variable "dependencies" {
  description = "The region's dependencies the agent probes: llm {base_url, api_key, mode, model}, postgres {jdbc_url, user, password, replication_lag_above}, redis {uri, password, probe_key, probe_key_ttl}, sip {uri}; each with an optional probe name; secrets as file:/path or env:NAME."
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
}

variable "probe_settings" {
  description = "Probe schedule and thresholds by probe name, \"*\" for every probe: critical, interval, timeout, degraded_above, fail_after, recover_after."
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
}

variable "vantage" {
  description = "Other regions' public SIP edges probed from here: region, uri, and optional interval, timeout, fail_after, recover_after."
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
}

variable "agent_settings" {
  description = "The agent's report_interval, ready_window, warm_up, http_port, keep_alive_time, keep_alive_timeout, reconnect_initial, reconnect_max."
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
}

variable "config_path" {
  description = "Where the agent's file is installed on its host."
  type        = string
  default     = "/etc/dialtone/agent.yaml"
  nullable    = false
}

variable "systemd_unit_source" {
  description = "The agent's unit to render; null: the checkout's deploy/systemd/dialtone-agent.service."
  type        = string
  default     = null
}
