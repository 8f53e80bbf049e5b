# Builds each replica's file as the lab's LabConfigFiles does (the keys of ControlPlaneConfig,
# secrets as file:/env: references only), leaving out every unset field so the replica's defaults
# apply. Only replicaId, grpc, http and the certificate differ between the replicas' files.
locals {
  edge = { for r in var.regions : r.id => { for k, v in {
    a     = length(r.edge.ipv4) == 0 ? null : r.edge.ipv4
    aaaa  = length(r.edge.ipv6) == 0 ? null : r.edge.ipv6
    sip   = r.edge.sip_uri
    cname = r.edge.cname
  } : k => v if v != null } }
  regions = [for r in var.regions : { id = r.id, priority = r.priority, edge = local.edge[r.id] }]

  zookeeper = { for k, v in {
    connect           = var.zookeeper.connect
    sessionTimeout    = var.zookeeper.session_timeout
    connectionTimeout = var.zookeeper.connection_timeout
    stopOn            = var.zookeeper.stop_on
  } : k => v if v != null }

  plans = { for k, v in {
    attemptTimeout = var.settings.plans.attempt_timeout
    stepBudget     = var.settings.plans.step_budget
    initialBackoff = var.settings.plans.initial_backoff
    maxBackoff     = var.settings.plans.max_backoff
  } : k => v if v != null }

  failback = { for k, v in {
    mode       = var.policy.failback.mode
    healthyFor = var.policy.failback.healthy_for
  } : k => v if v != null }
  policy = { for k, v in {
    mode                   = var.policy.mode
    failAfter              = var.policy.fail_after
    recoverAfter           = var.policy.recover_after
    holdDown               = var.policy.hold_down
    failback               = length(local.failback) == 0 ? null : local.failback
    staleAfter             = var.policy.stale_after
    outageAutoExit         = var.policy.outage_auto_exit
    provisioningHealthyFor = var.policy.provisioning_healthy_for
  } : k => v if v != null }

  dns_provider = var.dns == null ? null : (var.dns.rfc2136 != null ? {
    rfc2136 = { for k, v in {
      server      = var.dns.rfc2136.server
      zone        = var.dns.rfc2136.zone
      tsigKeyFile = var.dns.rfc2136.tsig_key_file
      timeout     = var.dns.rfc2136.timeout
    } : k => v if v != null }
    } : {
    route53 = { for k, v in {
      hostedZoneId = var.dns.route53.hosted_zone_id
      zone         = var.dns.route53.zone
      profile      = var.dns.route53.profile
      endpoint     = var.dns.route53.endpoint
      syncTimeout  = var.dns.route53.sync_timeout
      pollInterval = var.dns.route53.poll_interval
    } : k => v if v != null }
  })
  dns_retry = var.dns == null ? {} : { for k, v in {
    budget         = var.dns.retry.budget
    initialBackoff = var.dns.retry.initial_backoff
    maxBackoff     = var.dns.retry.max_backoff
  } : k => v if v != null }
  dns = var.dns == null ? null : { for k, v in {
    provider = local.dns_provider
    records  = [for r in var.dns.records : { for k, v in { name = r.name, type = upper(r.type), ttl = r.ttl } : k => v if v != null }]
    fallback = length(var.dns.fallback) == 0 ? null : [for f in var.dns.fallback : { for k, v in {
      id    = f.id
      a     = length(f.ipv4) == 0 ? null : f.ipv4
      aaaa  = length(f.ipv6) == 0 ? null : f.ipv6
      cname = f.cname
      sip   = f.sip_uri
    } : k => v if v != null }]
    ownerTtl = var.dns.owner_ttl
    retry    = length(local.dns_retry) == 0 ? null : local.dns_retry
  } : k => v if v != null }

  carrier = [for c in var.kamailio : {
    kamailio = { for k, v in {
      name     = c.name
      rpcUrl   = c.rpc_url
      rpcToken = c.rpc_token
      database = { for k, v in {
        jdbcUrl  = c.database.jdbc_url
        user     = c.database.user
        password = c.database.password
      } : k => v if v != null }
      setId      = c.set_id
      rpcTimeout = c.rpc_timeout
    } : k => v if v != null }
  }]

  # A destination's one key, as FallbackConfig.Destination names it.
  destination_keys = { queue = "queue", pstn = "pstn", answering_service = "answeringService", voicemail = "voicemail" }
  fallback_chains = var.fallback == null ? {} : merge(
    { "" = var.fallback.destinations },
    var.fallback.per_number,
  )
  fallback_rendered = { for number, chain in local.fallback_chains : number => [for d in chain :
    { for field, key in local.destination_keys : key => d[field] if d[field] != null }
  ] }
  fallback = var.fallback == null ? null : { for k, v in {
    destinations = local.fallback_rendered[""]
    perNumber    = length(var.fallback.per_number) == 0 ? null : { for number, chain in local.fallback_rendered : number => chain if number != "" }
    ring         = var.fallback.ring == null ? null : upper(var.fallback.ring)
    pstnGateway  = var.fallback.pstn_gateway
  } : k => v if v != null }

  chaos = var.chaos == null ? null : { for k, v in {
    toxiproxy           = var.chaos.toxiproxy
    drills              = var.chaos.drills
    dependencies        = var.chaos.dependencies
    packetFilters       = length(var.chaos.packet_filters) == 0 ? null : var.chaos.packet_filters
    pollInterval        = var.chaos.poll_interval
    healAttempts        = var.chaos.heal_attempts
    schedulerTick       = var.chaos.scheduler_tick
    onTimeGrace         = var.chaos.on_time_grace
    orphanSweepInterval = var.chaos.orphan_sweep_interval
    reportsKept         = var.chaos.reports_kept
  } : k => v if v != null }

  zookeeper_auth = var.security.zookeeper == null ? null : { for k, v in {
    user     = var.security.zookeeper.user
    password = var.security.zookeeper.password
    tls = var.security.zookeeper.tls == null ? null : { for k, v in {
      keyStore           = var.security.zookeeper.tls.key_store
      keyStorePassword   = var.security.zookeeper.tls.key_store_password
      trustStore         = var.security.zookeeper.tls.trust_store
      trustStorePassword = var.security.zookeeper.tls.trust_store_password
    } : k => v if v != null }
  } : k => v if v != null }
  access = { for k, v in {
    certificates = length(var.security.access.certificates) == 0 ? null : var.security.access.certificates
    tokens       = length(var.security.access.tokens) == 0 ? null : var.security.access.tokens
  } : k => v if v != null }
  trust_bundle = coalesce(var.security.trust_bundle, "${var.security.tls_dir}/ca.crt")

  # Per replica: what differs between the files.
  tls_files = { for id, r in var.replicas : id => {
    certificate = coalesce(r.certificate, "${var.security.tls_dir}/${id}.crt")
    key         = coalesce(r.key, "${var.security.tls_dir}/${id}.key")
    trustBundle = local.trust_bundle
  } }
  security = { for id, r in var.replicas : id => { for k, v in {
    tls = var.security.plaintext ? null : { for k, v in merge(local.tls_files[id], {
      refresh                  = var.security.refresh
      requireClientCertificate = var.security.require_client_certificate
    }) : k => v if v != null }
    plaintext = var.security.plaintext ? true : null
    access    = length(local.access) == 0 ? null : local.access
    zookeeper = local.zookeeper_auth
  } : k => v if v != null } }

  trees = { for id, r in var.replicas : id => {
    deployment = var.deployment
    replicaId  = id
    mode       = var.mode
    zookeeper  = local.zookeeper
    grpc = { for k, v in {
      port                = r.grpc_port
      address             = r.grpc_address
      keepAliveTime       = var.settings.keep_alive_time
      keepAliveTimeout    = var.settings.keep_alive_timeout
      permitKeepAliveTime = var.settings.permit_keep_alive_time
    } : k => v if v != null }
    http       = { for k, v in { port = r.http_port, address = r.http_address } : k => v if v != null }
    tick       = var.settings.tick
    plans      = local.plans
    historyCap = var.settings.history_cap
    policy     = local.policy
    regions    = local.regions
    dns        = local.dns
    carrier    = length(local.carrier) == 0 ? null : local.carrier
    fallback   = local.fallback
    chaos      = local.chaos
    security   = local.security[id]
  } }
  # Top-level keys in control-plane.example.yaml's order (yamlencode sorts the keys of each map).
  order = ["deployment", "replicaId", "mode", "zookeeper", "grpc", "http", "tick", "plans", "historyCap", "policy",
  "regions", "dns", "carrier", "fallback", "chaos", "security"]

  configs = { for id, tree in local.trees : id => join("", concat(
    ["# Written by OpenTofu (deploy/terraform/modules/control-plane) for dialtone control-plane --config ${var.config_path} on ${var.replicas[id].host}.\n"],
    [for k in local.order : yamlencode({ (k) = tree[k] }) if tree[k] != null && tree[k] != {}],
  )) }

  # What must exist on every replica's host before it starts: the files and variables its references name.
  references = compact(concat(
    [for c in var.kamailio : c.rpc_token],
    [for c in var.kamailio : c.database.password],
    [try(var.security.zookeeper.password, null)],
    [try(var.security.zookeeper.tls.key_store_password, null), try(var.security.zookeeper.tls.trust_store_password, null)],
    var.dns == null ? [] : [try("file:${var.dns.rfc2136.tsig_key_file}", null)],
  ))

  # The repository's unit, with the replicas' file: one source of truth for how a replica runs. A
  # module source that copies only this folder (an absolute path, a registry) leaves it behind.
  unit_path   = "${path.module}/../../../systemd/dialtone-control-plane.service"
  unit_source = var.systemd_unit_source != null ? var.systemd_unit_source : (fileexists(local.unit_path) ? file(local.unit_path) : "")
  unit        = replace(local.unit_source, "/etc/dialtone/control-plane.yaml", var.config_path)
}
