# The same provider, pointed at the local emulator (`go run ./cmd/hwc-emulator`).
# These are the emulator's built-in test credentials, not real ones.
provider "hwc" {
  alias      = "emulator"
  region     = "cn-north-4"
  access_key = "EMULATORACCESSKEY000"
  secret_key = "emulator-secret-key-0000000000000000000"
  endpoints = {
    ims       = "http://127.0.0.1:8787"
    workspace = "http://127.0.0.1:8787"
    iam       = "http://127.0.0.1:8787"
  }
}
