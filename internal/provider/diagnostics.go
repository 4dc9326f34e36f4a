package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// addRequestError turns a client error into one diagnostic: what failed, the
// HTTP status, error code, message and request id, and what to do about it.
func addRequestError(diags *diag.Diagnostics, summary string, err error) {
	var b strings.Builder
	var apiErr *client.APIError
	var decErr *client.DecodeError
	var reqErr *client.RequestError
	var noProject *client.NoProjectError
	switch {
	case errors.As(err, &apiErr):
		fmt.Fprintf(&b, "%s %s failed.\n\nHTTP status: %d\n", apiErr.Method, apiErr.Path, apiErr.Status)
		if apiErr.Code != "" {
			fmt.Fprintf(&b, "Error code:  %s\n", apiErr.Code)
		}
		if apiErr.Message != "" {
			fmt.Fprintf(&b, "Message:     %s\n", apiErr.Message)
		}
		if apiErr.RequestID != "" {
			fmt.Fprintf(&b, "Request ID:  %s\n", apiErr.RequestID)
		}
		if apiErr.Attempts > 1 {
			fmt.Fprintf(&b, "Attempts:    %d (the last one is shown)\n", apiErr.Attempts)
		}
		b.WriteString("\n" + adviceFor(apiErr))
	case errors.As(err, &decErr):
		fmt.Fprintf(&b, "%s\n\nThe endpoint answered, but not with the API's JSON. Check that the endpoint URL points at the Huawei Cloud API "+
			"and not at a proxy or login page.", decErr)
	case errors.As(err, &reqErr):
		switch {
		case client.IsCertificateError(err):
			fmt.Fprintf(&b, "%s\n\nThe endpoint's TLS certificate is not trusted. If it comes from a private certificate authority "+
				"(a corporate proxy, a private cloud), set cacert_file (HW_CACERT_FILE) to a PEM bundle holding that authority. "+
				"insecure = true skips verification altogether, which is not recommended.", reqErr)
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
			fmt.Fprintf(&b, "%s\n\nThe read was cancelled or ran out of time (see the data source's timeouts block and the provider's request_timeout).", reqErr)
		default:
			fmt.Fprintf(&b, "%s\n\nNo answer came from the endpoint. Check the network and the endpoint URL.", reqErr)
		}
	case errors.As(err, &noProject):
		fmt.Fprintf(&b, "%s. Check region, or set project_id (HW_PROJECT_ID) in the provider block.", noProject)
	default:
		b.WriteString(err.Error())
	}
	diags.AddError(summary, b.String())
}

func adviceFor(e *client.APIError) string {
	switch {
	case e.Status == 401:
		return "The credentials were refused. Check access_key and secret_key (or token), that they have not expired, and that the machine's clock is right: signatures older than 15 minutes are rejected."
	case e.Status == 403:
		return "The credentials are valid but may not do this. Check the IAM permissions of the user and the project_id."
	case e.Status == 404:
		return "The endpoint has no such API. Check the endpoints and region settings."
	case e.Status == 429:
		return "The API throttled the requests and every retry. Wait, or raise max_retries."
	case e.Status >= 500:
		return "The service failed on every attempt. Try again later, or raise max_retries."
	}
	return "The API rejected the request. Check the data source's arguments against the message above."
}
