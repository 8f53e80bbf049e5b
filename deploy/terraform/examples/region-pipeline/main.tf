# The pipeline that adds a fourth region, eu-central, to a running deployment: it renders the
# region agent's file and unit, registers the region (PROVISIONING) and waits until its agent has
# proven it healthy and the control plane made it a STANDBY. `tofu destroy` drains it, waits until
# it carries no traffic and deregisters it.
terraform {
  required_version = ">= 1.8.0"

  required_providers {
    dialtone = {
      source = "dialtone/dialtone"
    }
  }
}

provider "dialtone" {
  endpoints  = var.endpoints
  deployment = var.deployment
  tls_dir    = var.tls_dir
  token_file = var.token_file
}

module "region" {
  source = "../../modules/region"

  deployment = var.deployment
  region     = "eu-central"
  priority   = 4
  edge = {
    ipv4    = ["203.0.113.40"]
    sip_uri = "sip:edge.eu-central.example.com:5060"
  }
  reason           = "region pipeline: add eu-central"
  wait_for_standby = true
  standby_timeout  = "15m"
  drain_timeout    = "10m"
  agent_ready      = var.agent_ready

  agent_id = "eu-central-a"
  replicas = var.endpoints
  dependencies = {
    llm      = { base_url = "https://api.openai.com", api_key = "env:OPENAI_API_KEY" }
    postgres = { jdbc_url = "jdbc:postgresql://db.eu-central.internal:5432/voice", user = "dialtone_probe", password = "env:PGPASSWORD", replication_lag_above = "5s" }
    redis    = { uri = "redis://cache.eu-central.internal:6379", probe_key = "dialtone:probe:eu-central" }
    sip      = { uri = "sip:edge.eu-central.example.com:5060;transport=udp" }
  }
  probe_settings = {
    "*"   = { interval = "1s", timeout = "800ms", degraded_above = "500ms" }
    "db"  = { timeout = "500ms", degraded_above = "200ms" }
    "llm" = { fail_after = 2, recover_after = 3 }
  }
  vantage = [
    { region = "us-east", uri = "sip:edge.us-east.example.com:5060;transport=udp", interval = "2s", timeout = "1500ms" },
  ]
}
