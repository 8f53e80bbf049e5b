# Builds the agent's file as the lab's LabConfigFiles does (the keys of AgentConfig, secrets as
# file:/env: references only), leaving out every unset field so the agent's defaults apply.
locals {
  agent_id  = coalesce(var.agent_id, "${var.region}-agent")
  spiffe_id = "spiffe://${var.deployment}/region/${var.region}/agent/${local.agent_id}"

  tls_files = {
    certificate = coalesce(var.tls.certificate, "${var.tls.dir}/${local.agent_id}.crt")
    key         = coalesce(var.tls.key, "${var.tls.dir}/${local.agent_id}.key")
    trustBundle = coalesce(var.tls.trust_bundle, "${var.tls.dir}/ca.crt")
  }

  control_plane = { for k, v in {
    replicas         = var.replicas
    keepAliveTime    = var.agent_settings.keep_alive_time
    keepAliveTimeout = var.agent_settings.keep_alive_timeout
    reconnectInitial = var.agent_settings.reconnect_initial
    reconnectMax     = var.agent_settings.reconnect_max
    tls              = var.plaintext ? null : merge(local.tls_files, var.tls.refresh == null ? {} : { refresh = var.tls.refresh })
    plaintext        = var.plaintext ? true : null
  } : k => v if v != null }

  # Each dependency's own block, under the key the agent knows it by.
  kinds = {
    llm = var.dependencies.llm == null ? null : { for k, v in {
      baseUrl = var.dependencies.llm.base_url
      mode    = var.dependencies.llm.mode
      model   = var.dependencies.llm.model
      apiKey  = var.dependencies.llm.api_key
    } : k => v if v != null }
    postgres = var.dependencies.postgres == null ? null : { for k, v in {
      jdbcUrl             = var.dependencies.postgres.jdbc_url
      user                = var.dependencies.postgres.user
      password            = var.dependencies.postgres.password
      replicationLagAbove = var.dependencies.postgres.replication_lag_above
    } : k => v if v != null }
    redis = var.dependencies.redis == null ? null : { for k, v in {
      uri         = var.dependencies.redis.uri
      password    = var.dependencies.redis.password
      probeKey    = var.dependencies.redis.probe_key
      probeKeyTtl = var.dependencies.redis.probe_key_ttl
    } : k => v if v != null }
    sip = var.dependencies.sip == null ? null : { uri = var.dependencies.sip.uri }
  }

  # Per probe: its own settings over "*", field by field.
  settings_fields = {
    critical      = "critical"
    interval      = "interval"
    timeout       = "timeout"
    degradedAbove = "degraded_above"
    failAfter     = "fail_after"
    recoverAfter  = "recover_after"
  }
  present = [for kind in ["llm", "postgres", "redis", "sip"] : kind if var.dependencies[kind] != null]
  schedules = { for kind in local.present : kind => { for key, field in local.settings_fields : key => try(coalesce(
    try(var.probe_settings[var.dependencies[kind].name][field], null),
    try(var.probe_settings["*"][field], null),
  ), null) } }
  probes = [for kind in local.present : merge(
    { name = var.dependencies[kind].name },
    { for k, v in local.schedules[kind] : k => v if v != null },
    { (kind) = local.kinds[kind] },
  )]

  vantage = [for v in var.vantage : { for k, x in {
    region       = v.region
    uri          = v.uri
    interval     = v.interval
    timeout      = v.timeout
    failAfter    = v.fail_after
    recoverAfter = v.recover_after
  } : k => x if x != null }]

  # Top-level keys in agent.example.yaml's order (yamlencode sorts the keys of each map).
  tree = {
    deployment     = var.deployment
    region         = var.region
    agentId        = local.agent_id
    reportInterval = var.agent_settings.report_interval
    readyWindow    = var.agent_settings.ready_window
    warmUp         = var.agent_settings.warm_up
    http           = var.agent_settings.http_port == null ? null : { port = var.agent_settings.http_port }
    controlPlane   = local.control_plane
    probes         = local.probes
    vantage        = length(local.vantage) == 0 ? null : local.vantage
  }
  order = ["deployment", "region", "agentId", "reportInterval", "readyWindow", "warmUp", "http", "controlPlane", "probes", "vantage"]

  config = join("", concat(
    ["# Written by OpenTofu (deploy/terraform/modules/region/config) for dialtone agent --config ${var.config_path}.\n"],
    [for k in local.order : yamlencode({ (k) = local.tree[k] }) if local.tree[k] != null],
  ))

  # What must exist on the host before the agent starts: the files and variables its references name.
  references = compact([
    try(var.dependencies.llm.api_key, null),
    try(var.dependencies.postgres.password, null),
    try(var.dependencies.redis.password, null),
  ])

  # The repository's unit, with this agent's file: one source of truth for how an agent runs. A
  # module source that copies only this folder (an absolute path, a registry) leaves it behind.
  unit_path   = "${path.module}/../../../../systemd/dialtone-agent.service"
  unit_source = var.systemd_unit_source != null ? var.systemd_unit_source : (fileexists(local.unit_path) ? file(local.unit_path) : "")
  unit        = replace(local.unit_source, "/etc/dialtone/agent.yaml", var.config_path)
}

# A resource for `-target=module.<region>.module.config` to apply (outputs are written only for
# targeted resources): a pipeline renders and installs the agent's file before the region is
# registered, with no control plane call. It holds only the files' hashes.
resource "terraform_data" "rendered" {
  input = { config = sha256(local.config), unit = sha256(local.unit) }
}
