# Pure rendering: no provider; `tofu apply` writes nothing but state and outputs.
terraform {
  required_version = ">= 1.8.0"
}
