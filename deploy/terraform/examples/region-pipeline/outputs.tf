output "agent_config" {
  description = "The new region agent's file, for /etc/dialtone/agent.yaml on its host."
  value       = module.region.agent_config
}

output "agent_spiffe_id" {
  description = "The URI SAN the agent's certificate must carry."
  value       = module.region.agent_spiffe_id
}

output "systemd_unit" {
  description = "The agent's unit, for /etc/systemd/system/dialtone-agent.service."
  value       = module.region.systemd_unit
}

output "secret_references" {
  description = "What the agent's host must hold before it starts (files, environment variables)."
  value       = module.region.secret_references
}

output "lifecycle" {
  description = "The region's lifecycle: STANDBY once apply returns with wait_for_standby."
  value       = module.region.lifecycle
}
