# Pure rendering: no provider, so a pipeline (or CI) can render and check an agent's file with no
# control plane reachable.
terraform {
  required_version = ">= 1.8.0"
}
