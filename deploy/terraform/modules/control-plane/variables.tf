# The replicas' file (control-plane/control-plane.example.yaml, ControlPlaneConfig), as typed
# inputs: one file per replica, the same but for replicaId, its servers and its certificate. Unset
# optional fields are left out, so the replica's own defaults (one place: ControlPlaneConfig)
# apply. Durations are the files' syntax: 500ms, 5s, 10m, 1h. Secrets are references only,
# file:/absolute/path or env:NAME: a literal is refused here and by the replica.

variable "deployment" {
  description = "The deployment's id, the same in every replica's and agent's file (e.g. acme-voice)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.deployment))
    error_message = "deployment must be lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters (e.g. acme-voice)."
  }
}

variable "replicas" {
  description = <<-EOT
    The replicas by id (replicaId, e.g. cp-1; three for a deployment): host is how agents and
    operators reach it (its gRPC port there goes into agent_endpoints); grpc_address and
    http_address are the IPs it listens on (defaults 0.0.0.0, loopback with plaintext, and loopback), grpc_port (7443) and
    http_port (9465, /metrics). certificate and key default to <security.tls_dir>/<id>.crt and .key.
  EOT
  type = map(object({
    host         = string
    grpc_address = optional(string)
    grpc_port    = optional(number, 7443)
    http_address = optional(string)
    http_port    = optional(number)
    certificate  = optional(string)
    key          = optional(string)
  }))

  validation {
    condition     = length(var.replicas) > 0
    error_message = "replicas needs at least one replica (three for a deployment that survives losing one)."
  }

  validation {
    condition     = alltrue([for id, r in var.replicas : can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", id)) && length(r.host) > 0])
    error_message = "Each replica id must be letters, digits, '.', '_' or '-' (e.g. cp-1), and each replica needs a host."
  }

  validation {
    condition = alltrue(flatten([for r in values(var.replicas) : [
      for p in [r.grpc_port, r.http_port] : p == null || try(p >= 0 && p <= 65535 && floor(p) == p, false)
    ]]))
    error_message = "grpc_port and http_port must be 0-65535."
  }

  validation {
    condition = alltrue(flatten([for r in values(var.replicas) : [
      for a in [r.grpc_address, r.http_address] : a == null || can(cidrhost("${a}/32", 0)) || can(cidrhost("${a}/128", 0))
    ]]))
    error_message = "grpc_address and http_address must be IP addresses to listen on (0.0.0.0 for all, 127.0.0.1 for loopback), not host names."
  }
}

variable "mode" {
  description = "ACTUATE (plans drive dns and carrier) or RECOMMEND_ONLY (decide, record and alert, never move traffic; then neither dns nor kamailio may be set). null: ACTUATE."
  type        = string
  default     = null

  validation {
    condition     = var.mode == null || contains(["ACTUATE", "RECOMMEND_ONLY"], coalesce(var.mode, "ACTUATE"))
    error_message = "mode must be ACTUATE or RECOMMEND_ONLY."
  }
}

variable "zookeeper" {
  description = "The ensemble: connect (host:port,... with an optional /chroot), session_timeout, connection_timeout, stop_on (SUSPENDED: stop acting at the first sign of trouble; LOST: only when the session is lost)."
  type = object({
    connect            = string
    session_timeout    = optional(string)
    connection_timeout = optional(string)
    stop_on            = optional(string)
  })

  validation {
    condition     = can(regex("^[^,/]+:[0-9]{1,5}(,[^,/]+:[0-9]{1,5})*(/[A-Za-z0-9._-]+)*$", var.zookeeper.connect))
    error_message = "zookeeper.connect must be host:port[,host:port...][/chroot] (e.g. zk1:2181,zk2:2181,zk3:2181)."
  }

  validation {
    condition     = alltrue([for d in [var.zookeeper.session_timeout, var.zookeeper.connection_timeout] : d == null || can(regex("^[0-9]+(ms|s|m|h)$", d))])
    error_message = "zookeeper.session_timeout and connection_timeout must be durations (5s, 3000ms)."
  }

  validation {
    condition     = var.zookeeper.stop_on == null || contains(["SUSPENDED", "LOST"], coalesce(var.zookeeper.stop_on, "SUSPENDED"))
    error_message = "zookeeper.stop_on must be SUSPENDED or LOST."
  }
}

variable "settings" {
  description = <<-EOT
    The replicas' own timing: tick (how often the leader re-decides), history_cap, grpc keep-alive
    (keep_alive_time, keep_alive_timeout, permit_keep_alive_time: agents may ping this often,
    at most keep_alive_time) and plans (attempt_timeout, step_budget, initial_backoff,
    max_backoff). Unset: the replicas' defaults.
  EOT
  type = object({
    tick                   = optional(string)
    history_cap            = optional(number)
    keep_alive_time        = optional(string)
    keep_alive_timeout     = optional(string)
    permit_keep_alive_time = optional(string)
    plans = optional(object({
      attempt_timeout = optional(string)
      step_budget     = optional(string)
      initial_backoff = optional(string)
      max_backoff     = optional(string)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for d in [
      var.settings.tick, var.settings.keep_alive_time, var.settings.keep_alive_timeout, var.settings.permit_keep_alive_time,
      var.settings.plans.attempt_timeout, var.settings.plans.step_budget, var.settings.plans.initial_backoff, var.settings.plans.max_backoff,
    ] : d == null || can(regex("^[0-9]+(ms|s|m|h)$", d))])
    error_message = "settings' durations must be a whole number with a unit (500ms, 5s, 2m)."
  }

  validation {
    condition     = var.settings.history_cap == null || try(var.settings.history_cap >= 10 && floor(var.settings.history_cap) == var.settings.history_cap, false)
    error_message = "settings.history_cap must be a whole number of at least 10."
  }
}

variable "policy" {
  description = "The placement policy knobs: mode (AUTO, MANUAL...), fail_after, recover_after, hold_down, failback {mode MANUAL or AUTOMATIC, healthy_for}, stale_after, outage_auto_exit, provisioning_healthy_for (how long a registered region must be healthy to become a standby). Unset: the policy's defaults."
  type = object({
    mode          = optional(string)
    fail_after    = optional(number)
    recover_after = optional(number)
    hold_down     = optional(string)
    failback = optional(object({
      mode        = optional(string)
      healthy_for = optional(string)
    }), {})
    stale_after              = optional(string)
    outage_auto_exit         = optional(bool)
    provisioning_healthy_for = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for d in [
      var.policy.hold_down, var.policy.failback.healthy_for, var.policy.stale_after, var.policy.provisioning_healthy_for,
    ] : d == null || can(regex("^([0-9]+(ms|s|m|h)|0)$", d))])
    error_message = "policy's durations must be a whole number with a unit (60s, 10m)."
  }

  validation {
    condition     = alltrue([for n in [var.policy.fail_after, var.policy.recover_after] : n == null || try(n >= 1 && floor(n) == n, false)])
    error_message = "policy.fail_after and recover_after must be whole numbers of at least 1."
  }

  validation {
    condition     = var.policy.failback.mode == null || contains(["MANUAL", "AUTOMATIC"], upper(coalesce(var.policy.failback.mode, "MANUAL")))
    error_message = "policy.failback.mode must be MANUAL or AUTOMATIC."
  }
}

variable "regions" {
  description = "The regions every replica registers as STANDBY at start unless ZooKeeper already knows them: id, priority (lower is preferred, each its own), edge {ipv4, ipv6, sip_uri, cname}. Regions a pipeline adds later (modules/region) need not be here."
  type = list(object({
    id       = string
    priority = number
    edge = object({
      ipv4    = optional(list(string), [])
      ipv6    = optional(list(string), [])
      sip_uri = optional(string)
      cname   = optional(string)
    })
  }))

  validation {
    condition     = length(var.regions) > 0
    error_message = "regions needs at least one region."
  }

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", r.id)) && r.priority >= 0 && floor(r.priority) == r.priority])
    error_message = "Each region needs an id of lower-case letters, digits and dashes, and a whole priority of at least 0."
  }

  validation {
    condition     = length(distinct(var.regions[*].id)) == length(var.regions) && length(distinct(var.regions[*].priority)) == length(var.regions)
    error_message = "Each region's id and priority must differ from the others' (equal priorities would make the active region a coin toss)."
  }

  validation {
    condition     = alltrue([for r in var.regions : length(r.edge.ipv4) + length(r.edge.ipv6) > 0 || r.edge.sip_uri != null || r.edge.cname != null])
    error_message = "Each region's edge needs at least one of ipv4, ipv6, sip_uri, cname."
  }

  validation {
    condition = alltrue([for r in var.regions : alltrue(concat(
      [for a in r.edge.ipv4 : can(cidrnetmask("${a}/32")) && can(regex("^[0-9.]+$", a))],
      [for a in r.edge.ipv6 : can(cidrhost("${a}/128", 0)) && strcontains(a, ":")],
      [r.edge.sip_uri == null || can(regex("^(?i)sips?:\\S+$", r.edge.sip_uri))],
    ))])
    error_message = "Each region's edge.ipv4 must hold IPv4 addresses, edge.ipv6 IPv6 addresses, and edge.sip_uri be a sip: or sips: URI."
  }
}

variable "dns" {
  description = <<-EOT
    What the replicas drive in DNS, or null for none. Exactly one provider: rfc2136 {server
    host:port, zone, tsig_key_file (a BIND key file, tsig-keygen output), timeout} or route53
    {hosted_zone_id, zone, profile (else the AWS default chain), endpoint, sync_timeout (at most the retry budget),
    poll_interval}. records: the managed RRsets {name (absolute, in the zone), type A, AAAA, CNAME
    or SRV, ttl in whole seconds}. fallback: where DNS points in outage mode {id, ipv4, ipv6,
    cname, sip_uri}. owner_ttl: the ownership TXT record's. retry {budget (unset: half of
    settings.plans.attempt_timeout, the most the replica accepts), initial_backoff, max_backoff}.
  EOT
  type = object({
    rfc2136 = optional(object({
      server        = string
      zone          = string
      tsig_key_file = string
      timeout       = optional(string)
    }))
    route53 = optional(object({
      hosted_zone_id = string
      zone           = string
      profile        = optional(string)
      endpoint       = optional(string)
      sync_timeout   = optional(string)
      poll_interval  = optional(string)
    }))
    records = list(object({
      name = string
      type = string
      ttl  = optional(string)
    }))
    fallback = optional(list(object({
      id      = optional(string)
      ipv4    = optional(list(string), [])
      ipv6    = optional(list(string), [])
      cname   = optional(string)
      sip_uri = optional(string)
    })), [])
    owner_ttl = optional(string)
    retry = optional(object({
      budget          = optional(string)
      initial_backoff = optional(string)
      max_backoff     = optional(string)
    }), {})
  })
  default = null

  validation {
    condition     = var.dns == null || try((var.dns.rfc2136 == null) != (var.dns.route53 == null), false)
    error_message = "dns needs exactly one provider: rfc2136 or route53."
  }

  validation {
    condition     = var.dns == null || try(var.dns.rfc2136 == null || startswith(var.dns.rfc2136.tsig_key_file, "/"), false)
    error_message = "dns.rfc2136.tsig_key_file must be an absolute path on the replicas' hosts (a file, never the key itself)."
  }

  validation {
    condition     = var.dns == null || try(var.dns.route53 == null || can(regex("^[A-Z0-9]{1,32}$", var.dns.route53.hosted_zone_id)), false)
    error_message = "dns.route53.hosted_zone_id must be a hosted zone id (up to 32 upper-case letters and digits, like Z0123456789ABC), not a zone name or a /hostedzone/ path."
  }

  validation {
    condition = var.dns == null || try(length(var.dns.records) > 0 && alltrue([for r in var.dns.records :
    contains(["A", "AAAA", "CNAME", "SRV"], upper(r.type)) && (r.ttl == null || can(regex("^[0-9]+(s|m|h)$", r.ttl)))]), false)
    error_message = "dns.records needs at least one record, each of type A, AAAA, CNAME or SRV (TXT is Dialtone's own), its ttl in whole seconds (30s, 5m)."
  }

  validation {
    condition = var.dns == null || try(alltrue([for d in [
      try(var.dns.rfc2136.timeout, null), try(var.dns.route53.sync_timeout, null), try(var.dns.route53.poll_interval, null),
      var.dns.owner_ttl, var.dns.retry.budget, var.dns.retry.initial_backoff, var.dns.retry.max_backoff,
    ] : d == null || can(regex("^[0-9]+(ms|s|m|h)$", d))]), false)
    error_message = "dns' durations must be a whole number with a unit (2s, 50ms, 30s)."
  }
}

variable "kamailio" {
  description = "The Kamailio edges every plan drives (carrier: kamailio), each running deploy/kamailio/dialtone-routing.cfg and reached over the network only: name (default kamailio; each its own), rpc_url (its JSON-RPC), rpc_token (reference), database {jdbc_url without credentials, user, password reference}, set_id, rpc_timeout."
  type = list(object({
    name      = optional(string)
    rpc_url   = string
    rpc_token = string
    database = object({
      jdbc_url = string
      user     = string
      password = optional(string)
    })
    set_id      = optional(number)
    rpc_timeout = optional(string)
  }))
  default  = []
  nullable = false

  validation {
    condition = alltrue([for k in var.kamailio : can(regex("^https?://[^/\\s]+", k.rpc_url))
      && can(regex("^(file:/.+|env:[A-Za-z_][A-Za-z0-9_]*)$", k.rpc_token))
    && (k.database.password == null || can(regex("^(file:/.+|env:[A-Za-z_][A-Za-z0-9_]*)$", k.database.password)))])
    error_message = "Each kamailio needs an http(s) rpc_url, and rpc_token and database.password must be references (file:/absolute/path or env:NAME), never the secret itself."
  }

  validation {
    condition = alltrue([for k in var.kamailio : startswith(k.database.jdbc_url, "jdbc:postgresql://")
    && !can(regex("(?i)[?&]password=", k.database.jdbc_url))])
    error_message = "Each kamailio database.jdbc_url must be jdbc:postgresql://host[:port]/database, without a password."
  }

  validation {
    condition     = length(distinct([for k in var.kamailio : coalesce(k.name, "kamailio")])) == length(var.kamailio)
    error_message = "Each kamailio needs its own name (the actuator is carrier/<name>)."
  }
}

variable "fallback" {
  description = <<-EOT
    Outage mode: where calls go when no region is healthy. destinations (in order), each exactly one
    of queue, answering_service, voicemail (sip: URIs) or pstn (E.164, through pstn_gateway);
    per_number: an E.164 number (DID) -> its own chain; ring SEQUENTIAL or PARALLEL. Required
    with kamailio.
  EOT
  type = object({
    destinations = list(object({
      queue             = optional(string)
      pstn              = optional(string)
      answering_service = optional(string)
      voicemail         = optional(string)
    }))
    per_number = optional(map(list(object({
      queue             = optional(string)
      pstn              = optional(string)
      answering_service = optional(string)
      voicemail         = optional(string)
    }))), {})
    ring         = optional(string)
    pstn_gateway = optional(string)
  })
  default = null

  validation {
    condition = var.fallback == null || try(length(var.fallback.destinations) > 0 && alltrue([
      for d in concat(var.fallback.destinations, flatten(values(var.fallback.per_number))) :
      length([for v in [d.queue, d.pstn, d.answering_service, d.voicemail] : v if v != null]) == 1
    ]), false)
    error_message = "fallback.destinations needs at least one destination, and each destination exactly one of queue, pstn, answering_service, voicemail."
  }

  validation {
    condition     = var.fallback == null || try(alltrue([for n in keys(var.fallback.per_number) : can(regex("^\\+[1-9][0-9]{6,14}$", n))]), false)
    error_message = "fallback.per_number's keys must be E.164 numbers (e.g. +15557654321)."
  }

  validation {
    condition     = var.fallback == null || try(var.fallback.ring == null || contains(["SEQUENTIAL", "PARALLEL"], upper(var.fallback.ring)), false)
    error_message = "fallback.ring must be SEQUENTIAL or PARALLEL."
  }

  validation {
    condition = var.fallback == null || try(var.fallback.pstn_gateway != null || !anytrue([
      for d in concat(var.fallback.destinations, flatten(values(var.fallback.per_number))) : d.pstn != null
    ]), false)
    error_message = "fallback.pstn_gateway (host[:port]) is required when a destination is pstn."
  }
}

variable "security" {
  description = <<-EOT
    How the replicas prove themselves and whom they let in. Mutual TLS on the gRPC port from PEM
    files under tls_dir (<id>.crt, <id>.key per replica, ca.crt: trust_bundle), re-read every
    refresh; require_client_certificate must be false when tokens are set. Or plaintext = true,
    dev/lab only. access: certificates (an operator's SPIFFE id spiffe://<deployment>/operator/<name>
    -> viewer, operator or admin) and tokens ({name, role, sha256}: only the SHA-256 of each token).
    zookeeper: digest auth {user, password reference, tls {key_store, key_store_password,
    trust_store, trust_store_password}}; without it the state in ZooKeeper is open (a warning).
  EOT
  type = object({
    plaintext                  = optional(bool, false)
    tls_dir                    = optional(string, "/etc/dialtone/tls")
    trust_bundle               = optional(string)
    refresh                    = optional(string)
    require_client_certificate = optional(bool)
    access = optional(object({
      certificates = optional(map(string), {})
      tokens = optional(list(object({
        name   = string
        role   = string
        sha256 = string
      })), [])
    }), {})
    zookeeper = optional(object({
      user     = string
      password = string
      tls = optional(object({
        key_store            = string
        key_store_password   = optional(string)
        trust_store          = string
        trust_store_password = optional(string)
      }))
    }))
  })
  nullable = false

  validation {
    condition     = alltrue([for role in values(var.security.access.certificates) : contains(["viewer", "operator", "admin"], lower(role))]) && alltrue([for t in var.security.access.tokens : contains(["viewer", "operator", "admin"], lower(t.role))])
    error_message = "Every role in security.access must be viewer, operator or admin."
  }

  validation {
    condition     = alltrue([for id in keys(var.security.access.certificates) : can(regex("^spiffe://[a-z0-9][a-z0-9-]{0,62}/(operator|replica)/[A-Za-z0-9._-]+$", id))])
    error_message = "security.access.certificates' keys must be SPIFFE ids: spiffe://<deployment>/operator/<name> (or /replica/<name>)."
  }

  validation {
    condition     = alltrue([for t in var.security.access.tokens : can(regex("^[0-9a-f]{64}$", t.sha256))]) && length(distinct(var.security.access.tokens[*].name)) == length(var.security.access.tokens)
    error_message = "Each security.access token needs its own name and sha256: 64 lower-case hex digits, the SHA-256 of the token (sha256sum of it without a newline), never the token itself."
  }

  validation {
    condition     = !(var.security.require_client_certificate == true && length(var.security.access.tokens) > 0)
    error_message = "security.require_client_certificate must be false when security.access.tokens are set: token holders present no client certificate."
  }

  validation {
    condition = var.security.zookeeper == null || try(can(regex("^[^:]+$", var.security.zookeeper.user)) && alltrue([
      for s in [var.security.zookeeper.password, try(var.security.zookeeper.tls.key_store_password, null), try(var.security.zookeeper.tls.trust_store_password, null)] :
      s == null || can(regex("^(file:/.+|env:[A-Za-z_][A-Za-z0-9_]*)$", s))
    ]), false)
    error_message = "security.zookeeper.user must not contain ':', and its password (and tls store passwords) must be references, file:/absolute/path or env:NAME, never the secret itself."
  }

  validation {
    condition     = alltrue([for p in [var.security.tls_dir, var.security.trust_bundle] : p == null || startswith(p, "/")]) && (var.security.refresh == null || can(regex("^[0-9]+(ms|s|m|h)$", var.security.refresh)))
    error_message = "security.tls_dir and trust_bundle must be absolute paths, refresh a duration (30s)."
  }
}

variable "chaos" {
  description = "Game days, or null for none: toxiproxy (its API URL), drills (a directory of drill files, relative to the replica's file or absolute), dependencies, packet_filters, poll_interval, heal_attempts, scheduler_tick, on_time_grace, orphan_sweep_interval, reports_kept."
  type = object({
    toxiproxy    = string
    drills       = string
    dependencies = optional(list(string))
    packet_filters = optional(list(object({
      path      = string
      namespace = string
      protocol  = string
      port      = number
    })), [])
    poll_interval         = optional(string)
    heal_attempts         = optional(number)
    scheduler_tick        = optional(string)
    on_time_grace         = optional(string)
    orphan_sweep_interval = optional(string)
    reports_kept          = optional(number)
  })
  default = null

  validation {
    condition     = var.chaos == null || try(can(regex("^https?://[^/\\s]+", var.chaos.toxiproxy)), false)
    error_message = "chaos.toxiproxy must be the Toxiproxy API's http(s) URL (e.g. http://127.0.0.1:8474)."
  }

  validation {
    condition = var.chaos == null || try(alltrue([for d in [
      var.chaos.poll_interval, var.chaos.scheduler_tick, var.chaos.on_time_grace, var.chaos.orphan_sweep_interval,
    ] : d == null || can(regex("^[0-9]+(ms|s|m|h)$", d))]), false)
    error_message = "chaos' durations must be a whole number with a unit (100ms, 1s, 30s)."
  }
}

variable "config_path" {
  description = "Where each replica's file is installed on its host; the systemd unit's --config points there."
  type        = string
  default     = "/etc/dialtone/control-plane.yaml"
  nullable    = false

  validation {
    condition     = startswith(var.config_path, "/")
    error_message = "config_path must be an absolute path."
  }
}

variable "systemd_unit_source" {
  description = "The replicas' unit to render; null: deploy/systemd/dialtone-control-plane.service of the checkout this module is in (set it when the module's source copies only its own folder)."
  type        = string
  default     = null
}
