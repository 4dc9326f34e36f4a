#!/usr/bin/env bash
# Prints the Terraform CLI to use: $TF_ACC_TERRAFORM_PATH, else terraform,
# else tofu on PATH; fails with what to install when there is none.
if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
	echo "$TF_ACC_TERRAFORM_PATH"
elif command -v terraform >/dev/null 2>&1; then
	command -v terraform
elif command -v tofu >/dev/null 2>&1; then
	command -v tofu
else
	echo "Neither terraform nor tofu is on PATH. Install Terraform (https://developer.hashicorp.com/terraform/install)" >&2
	echo "or OpenTofu (https://opentofu.org/docs/intro/install/), then run make again." >&2
	exit 1
fi
