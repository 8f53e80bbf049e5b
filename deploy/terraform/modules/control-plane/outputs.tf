output "replica_configs" {
  description = "Replica id -> its YAML file (install at config_path on that replica's host, mode 640, group dialtone); secrets are references only."
  value       = local.configs

  # The rules that span inputs, as the replica's loader states them, so a plan fails before a host does.
  precondition {
    condition     = length(var.kamailio) == 0 || var.fallback != null
    error_message = "fallback is required with kamailio: outage mode needs somewhere to send callers (queue, pstn, answering_service, voicemail)."
  }

  precondition {
    condition     = coalesce(var.mode, "ACTUATE") != "RECOMMEND_ONLY" || (var.dns == null && length(var.kamailio) == 0)
    error_message = "mode RECOMMEND_ONLY drives nothing: leave dns and kamailio unset, or use mode ACTUATE."
  }

  precondition {
    condition     = coalesce(var.mode, "ACTUATE") != "ACTUATE" || var.dns != null || length(var.kamailio) > 0
    error_message = "No actuator configured: set dns and/or kamailio to move traffic, or mode = \"RECOMMEND_ONLY\" to only record and alert what the replicas would do."
  }

  precondition {
    condition     = alltrue([for id in keys(var.security.access.certificates) : startswith(id, "spiffe://${var.deployment}/")])
    error_message = "Every security.access.certificates key must be a SPIFFE id of deployment ${var.deployment} (spiffe://${var.deployment}/operator/<name>)."
  }
}

output "replica_spiffe_ids" {
  description = "Replica id -> the URI SAN its certificate must carry: spiffe://<deployment>/replica/<id> (plus DNS/IP SANs for the addresses operators use)."
  value       = { for id in keys(var.replicas) : id => "spiffe://${var.deployment}/replica/${id}" }
}

output "agent_endpoints" {
  description = "Every replica's gRPC endpoint as host:port: the region agents' replicas and the dialtone provider's endpoints."
  value       = [for id in sort(keys(var.replicas)) : "${var.replicas[id].host}:${var.replicas[id].grpc_port}"]
}

output "tls_files" {
  description = "Replica id -> the PEM files it reads (certificate, key, trustBundle); null with plaintext."
  value       = var.security.plaintext ? null : local.tls_files
}

output "secret_references" {
  description = "The file:/env: references every replica resolves at start (the TSIG key file among them): each file must exist on every replica's host, each variable be set in its unit's environment."
  value       = local.references
}

output "systemd_unit" {
  description = "deploy/systemd/dialtone-control-plane.service with --config at config_path (install as /etc/systemd/system/dialtone-control-plane.service on every replica's host)."
  value       = local.unit

  precondition {
    condition     = local.unit_source != ""
    error_message = "deploy/systemd/dialtone-control-plane.service is not beside this module (its source copied only the module's folder: an absolute path or a registry): set systemd_unit_source = file(\"<checkout>/deploy/systemd/dialtone-control-plane.service\"), or use a relative or git:: source."
  }

  precondition {
    condition     = local.unit_source == "" || strcontains(local.unit_source, "--config /etc/dialtone/control-plane.yaml")
    error_message = "The unit no longer starts with --config /etc/dialtone/control-plane.yaml: update this module's substitution."
  }
}
