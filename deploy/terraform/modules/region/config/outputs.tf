output "agent_config" {
  description = "The agent's YAML file (install at config_path, mode 640, group dialtone): the same keys the lab writes, secrets as references only."
  value       = local.config
  depends_on  = [terraform_data.rendered]
}

output "agent_id" {
  description = "The agent's id (agentId in its file)."
  value       = local.agent_id
  depends_on  = [terraform_data.rendered]
}

output "agent_spiffe_id" {
  description = "The URI SAN the agent's certificate must carry: spiffe://<deployment>/region/<region>/agent/<agent_id>."
  value       = local.spiffe_id
  depends_on  = [terraform_data.rendered]
}

output "tls_files" {
  description = "The PEM files the agent reads (certificate, key, trustBundle), or null with plaintext."
  value       = var.plaintext ? null : local.tls_files
  depends_on  = [terraform_data.rendered]
}

output "secret_references" {
  description = "The file:/env: references the agent resolves at start: each file must exist (readable by group dialtone), each variable be set in its unit's environment."
  value       = local.references
  depends_on  = [terraform_data.rendered]
}

output "systemd_unit" {
  description = "deploy/systemd/dialtone-agent.service with --config at config_path (install as /etc/systemd/system/dialtone-agent.service)."
  value       = local.unit
  depends_on  = [terraform_data.rendered]

  precondition {
    condition     = local.unit_source != ""
    error_message = "deploy/systemd/dialtone-agent.service is not beside this module (its source copied only the module's folder: an absolute path or a registry): set systemd_unit_source = file(\"<checkout>/deploy/systemd/dialtone-agent.service\"), or use a relative or git:: source."
  }

  precondition {
    condition     = local.unit_source == "" || strcontains(local.unit_source, "--config /etc/dialtone/agent.yaml")
    error_message = "The unit no longer starts with --config /etc/dialtone/agent.yaml: update this module's substitution."
  }
}

output "files" {
  description = "Path on the agent's host -> content, for cloud-init write_files or a configuration tool: the agent's file and its unit."
  value = {
    (var.config_path)                            = local.config
    "/etc/systemd/system/dialtone-agent.service" = local.unit
  }
  depends_on = [terraform_data.rendered]
}
