# The lab's control plane (./dialtone lab) as an SRE would render it: three replicas on one host
# (loopback, ports apart), three ZooKeeper servers, BIND over RFC 2136, one Kamailio, the lab's
# outage-mode chain. No provider: `tofu apply` writes nothing but state and outputs.
terraform {
  required_version = ">= 1.8.0"
}

variable "etc_dir" {
  description = "Where the rendered files' secrets and PEM files live on the replicas' hosts (check-rendered points it at a scratch directory)."
  type        = string
  default     = "/etc/dialtone"
}

variable "plaintext" {
  description = "Render plaintext: true instead of mutual TLS (dev/lab only)."
  type        = bool
  default     = false
}

module "control_plane" {
  source = "../../modules/control-plane"

  deployment = "lab"
  replicas = {
    "cp-1" = { host = "127.0.0.1", grpc_address = "127.0.0.1", grpc_port = 7443, http_port = 9465 }
    "cp-2" = { host = "127.0.0.1", grpc_address = "127.0.0.1", grpc_port = 7444, http_port = 9466 }
    "cp-3" = { host = "127.0.0.1", grpc_address = "127.0.0.1", grpc_port = 7445, http_port = 9467 }
  }
  zookeeper = {
    connect            = "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183"
    session_timeout    = "3s"
    connection_timeout = "2s"
  }
  settings = { tick = "250ms" }
  policy = {
    mode          = "AUTO"
    fail_after    = 1
    recover_after = 2
    hold_down     = "5s"
    failback      = { mode = "AUTOMATIC", healthy_for = "5s" }
    stale_after   = "6s"
  }
  regions = [
    { id = "us-east", priority = 1, edge = { ipv4 = ["127.0.1.1"], sip_uri = "sip:127.0.1.1:5060" } },
    { id = "us-west", priority = 2, edge = { ipv4 = ["127.0.2.1"], sip_uri = "sip:127.0.2.1:5060" } },
    { id = "eu-west", priority = 3, edge = { ipv4 = ["127.0.3.1"], sip_uri = "sip:127.0.3.1:5060" } },
  ]
  dns = {
    rfc2136 = { server = "127.0.0.1:5353", zone = "voice.lab.", tsig_key_file = "${var.etc_dir}/tsig.key", timeout = "2s" }
    # A records only: SRV targets need host names, and the lab's edges are bare loopback addresses.
    records   = [{ name = "call.voice.lab.", type = "A", ttl = "5s" }]
    fallback  = [{ id = "voicemail", ipv4 = ["127.0.9.1"] }]
    owner_ttl = "5s"
  }
  kamailio = [{
    rpc_url   = "http://127.0.0.1:5071/RPC"
    rpc_token = "file:${var.etc_dir}/kamailio-rpc.token"
    database = {
      jdbc_url = "jdbc:postgresql://127.0.0.1:5432/kamailio"
      user     = "dialtone"
      password = "file:${var.etc_dir}/kamailio-db.password"
    }
    rpc_timeout = "2s"
  }]
  fallback = {
    destinations = [{ queue = "sip:queue@127.0.0.1:5090" }, { voicemail = "sip:voicemail@127.0.0.1:5091" }]
    per_number   = { "+15550199" = [{ answering_service = "sip:answering-service@127.0.0.1:5092" }] }
  }
  security = {
    plaintext                  = var.plaintext
    tls_dir                    = "${var.etc_dir}/tls"
    require_client_certificate = true
    access                     = { certificates = { "spiffe://lab/operator/oncall" = "admin" } }
    zookeeper                  = { user = "dialtone", password = "file:${var.etc_dir}/zookeeper.password" }
  }
}

output "replica_configs" {
  description = "Replica id -> its file."
  value       = module.control_plane.replica_configs
}

output "replica_spiffe_ids" {
  description = "Replica id -> the SPIFFE id its certificate must carry."
  value       = module.control_plane.replica_spiffe_ids
}

output "agent_endpoints" {
  description = "Where agents (and the dialtone provider) reach the replicas."
  value       = module.control_plane.agent_endpoints
}

output "tls_files" {
  description = "Replica id -> its PEM files."
  value       = module.control_plane.tls_files
}

output "secret_references" {
  description = "The file:/env: references the replicas resolve at start."
  value       = module.control_plane.secret_references
}

output "systemd_unit" {
  description = "The replicas' unit."
  value       = module.control_plane.systemd_unit
}
