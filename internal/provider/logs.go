package provider

import (
	"os"
	"strings"
)

// QuietLogs turns the logs of the provider and of its SDKs off unless a
// TF_LOG variable is set. Terraform hands a provider its environment, and
// drops every log line of the provider when none is set; but the SDKs write
// their TRACE lines all the same, and Terraform parses each one: for a few
// data sources with many validated attributes, that costs more than reading
// them. Each subsystem is named too: with only the root off, the framework
// still prepares a TRACE line for every attribute it validates.
func QuietLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "off")
	}
}
