output "agent_config" {
  description = "The region agent's YAML file (install at config_path, mode 640, group dialtone); secrets are references only."
  value       = module.config.agent_config
}

output "agent_spiffe_id" {
  description = "The URI SAN the agent's certificate must carry: spiffe://<deployment>/region/<region>/agent/<agent_id>."
  value       = module.config.agent_spiffe_id
}

output "systemd_unit" {
  description = "deploy/systemd/dialtone-agent.service with --config at config_path."
  value       = module.config.systemd_unit
}

output "files" {
  description = "Path on the agent's host -> content (the agent's file and its unit), for cloud-init write_files or a configuration tool."
  value       = module.config.files
}

output "secret_references" {
  description = "The file:/env: references the agent resolves at start; each must exist on its host."
  value       = module.config.secret_references
}

output "region_id" {
  description = "The registered region's id."
  value       = dialtone_region.this.id
}

output "lifecycle" {
  description = "The region's lifecycle as the control plane last reported it: PROVISIONING, STANDBY, ACTIVE, DRAINING."
  value       = dialtone_region.this.lifecycle_state
}
