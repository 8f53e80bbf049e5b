# The agent's file and unit: pure rendering, no provider (also applied alone by
# examples/check-rendered).
module "config" {
  source = "./config"

  deployment     = var.deployment
  region         = var.region
  agent_id       = var.agent_id
  replicas       = var.replicas
  tls            = var.tls
  plaintext      = var.plaintext
  dependencies   = var.dependencies
  probe_settings = var.probe_settings
  vantage        = var.vantage
  agent_settings = var.agent_settings
  config_path    = var.config_path

  systemd_unit_source = var.systemd_unit_source
}

# Registration waits for whatever says the agent runs (agent_ready), so that wait_for_standby
# hears from it; changing it does not re-register the region.
resource "terraform_data" "agent_ready" {
  input = var.agent_ready
}

# Create: register as PROVISIONING, then (wait_for_standby) wait until the agent's reports prove
# the region healthy and the control plane makes it a STANDBY. Destroy: drain (switching over
# first if it is active), wait until it carries no traffic (drain_timeout), deregister.
resource "dialtone_region" "this" {
  id       = var.region
  priority = var.priority
  edge = {
    ipv4    = var.edge.ipv4
    ipv6    = var.edge.ipv6
    sip_uri = var.edge.sip_uri
    cname   = var.edge.cname
  }
  reason           = var.reason
  in_rotation      = var.in_rotation
  wait_for_standby = var.wait_for_standby
  standby_timeout  = var.standby_timeout
  drain_timeout    = var.drain_timeout

  depends_on = [terraform_data.agent_ready]
}
