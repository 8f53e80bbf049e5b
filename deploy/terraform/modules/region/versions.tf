terraform {
  required_version = ">= 1.8.0"

  required_providers {
    # registry.opentofu.org/dialtone/dialtone: deploy/terraform/provider.
    dialtone = {
      source = "dialtone/dialtone"
    }
  }
}
