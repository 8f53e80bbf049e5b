variable "deployment" {
  description = "The deployment's id (e.g. acme-voice); the provider checks the replicas' certificates against it."
  type        = string
}

variable "endpoints" {
  description = "Every replica's gRPC endpoint (host:port), for the provider and for the new region's agent (e.g. the control-plane module's agent_endpoints)."
  type        = list(string)
}

variable "tls_dir" {
  description = "A directory holding the pipeline's ca.crt, client.crt and client.key (an identity spiffe://<deployment>/operator/<name> with the operator role in security.access)."
  type        = string
}

variable "agent_ready" {
  description = "Anything known once the new region's agent runs (an instance id, a deploy job's id); registration waits for it. null: register at once."
  type        = any
  default     = null
}

variable "token_file" {
  description = "A file holding a bearer token (a security.access token with the operator role), for a pipeline without a client certificate; null: none."
  type        = string
  default     = null
}
