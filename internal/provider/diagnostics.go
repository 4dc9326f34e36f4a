package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// addRequestError turns a client error into one diagnostic: what failed, the
// HTTP status, error code, message and request id, and what to do about it.
// The client has already cleaned any text the server supplied.
func addRequestError(diags *diag.Diagnostics, summary string, err error) {
	var b strings.Builder
	var apiErr *client.APIError
	var redirect *client.RedirectError
	var decErr *client.DecodeError
	var tooLarge *client.BodyTooLargeError
	var reqErr *client.RequestError
	var lookup *client.ProjectLookupError
	var noProject *client.NoProjectError
	var tooMuch *client.KeptTooMuchError
	var login *client.LoginError
	if errors.As(err, &login) {
		summary = "Unable to Renew the Credentials"
		fmt.Fprintf(&b, "The temporary credentials of the provider were due for renewal, and renewing them (%s) failed:\n\n", login.Step)
		err = login.Err
	}
	switch {
	case errors.As(err, &apiErr):
		writeAPIError(&b, apiErr)
	case errors.As(err, &redirect):
		fmt.Fprintf(&b, "%s\n\nThe endpoint answered with a redirect. The provider never follows one, because the credentials would "+
			"go along to another host. Set the endpoint to the API itself (check endpoints, region and cloud).", redirect)
	case errors.As(err, &decErr):
		fmt.Fprintf(&b, "%s\n\nThe endpoint answered, but not with the API's JSON. Check that the endpoint URL points at the Huawei Cloud API "+
			"and not at a proxy or login page.", decErr)
	case errors.As(err, &tooLarge):
		fmt.Fprintf(&b, "%s\n\nCheck that the endpoint URL points at the Huawei Cloud API and not at a proxy or another service.", tooLarge)
	case errors.As(err, &tooMuch):
		fmt.Fprintf(&b, "%s.\n\nNarrow what the read keeps: a filter (image_type, platform, name, owner, created_after, …), "+
			"name_regex, or limit.", tooMuch)
	case errors.As(err, &reqErr):
		writeRequestError(&b, err, reqErr)
	case errors.As(err, &noProject):
		fmt.Fprintf(&b, "%s. Check region, or set project_id (HW_PROJECT_ID) in the provider block.", noProject)
	default:
		b.WriteString(err.Error())
	}
	if errors.As(err, &lookup) {
		summary = "Unable to Look Up the Project"
		fmt.Fprintf(&b, "\n\nThis happened while looking up the project of region %q through IAM at %s; every data source of that "+
			"region gets this answer until the next run. Setting project_id (HW_PROJECT_ID) skips the look-up for the provider's region.",
			lookup.Region, lookup.Endpoint)
	}
	diags.AddError(summary, b.String())
}

// attemptsText is "1 attempt" or "N attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

func writeAPIError(b *strings.Builder, e *client.APIError) {
	writeAPIAnswer(b, e)
	b.WriteString("\n" + adviceFor(e))
}

// writeAPIAnswer writes what the API answered: status, error code, message
// and request id.
func writeAPIAnswer(b *strings.Builder, e *client.APIError) {
	fmt.Fprintf(b, "%s %s failed.\n\nHTTP status: %d\n", e.Method, e.Path, e.Status)
	for _, line := range []struct{ label, value string }{
		{"Error code:  ", e.Code}, {"Message:     ", e.Message}, {"Detail:      ", e.Detail},
		{"Encoded authorization message: ", e.EncodedAuthorizationMessage}, {"Request ID:  ", e.RequestID},
	} {
		if line.value != "" {
			fmt.Fprintf(b, "%s%s\n", line.label, line.value)
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(b, "Attempts:    %d (the last one is shown)\n", e.Attempts)
	}
}

func writeRequestError(b *strings.Builder, err error, reqErr *client.RequestError) {
	switch {
	case client.IsCertificateError(err):
		fmt.Fprintf(b, "%s\n\nThe endpoint's TLS certificate is not trusted. If it comes from a private certificate authority "+
			"(a corporate proxy, a private cloud), set cacert_file (HW_CACERT_FILE) to a PEM bundle holding that authority. "+
			"insecure = true skips verification altogether, which is not recommended.", reqErr)
	case client.IsRefusedOnLoopback(err):
		fmt.Fprintf(b, "%s\n\nNothing listens at %s on this machine: is the emulator running, and on this port? Start it with "+
			"hwc-emulator (it prints the endpoints to use), or fix the port in endpoints. A refused connection on this "+
			"machine is not retried.", reqErr, reqErr.Endpoint)
	case client.IsUnknownHost(err):
		fmt.Fprintf(b, "%s\n\nThe host of the endpoint %s does not exist (region %q), as far as this machine's DNS knows. "+
			"Either a name is wrong (the region, such as cn-north-4 or ap-southeast-3, cloud (HW_CLOUD), or endpoints), or this "+
			"machine cannot resolve the cloud's names at all (no network, as in an offline CI: then point every endpoint, iam "+
			"included, at the emulator). Unknown hosts are not retried.", reqErr, reqErr.Endpoint, reqErr.Region)
	case reqErr.Cancelled:
		fmt.Fprintf(b, "%s\n\nThe read was cancelled or ran out of time (see the data source's timeouts block).", reqErr)
	case client.IsHTTP2Answer(err):
		fmt.Fprintf(b, "%s\n\nThe server at %s answered with HTTP/2 frames (a GOAWAY or a refused stream, as a draining load "+
			"balancer sends), %s. The provider speaks HTTP/1.1 only, so that max_retries bounds every request on the "+
			"wire. Check the endpoint, or try again once the load balancer has drained.", reqErr, reqErr.Endpoint,
			"on "+attemptsText(reqErr.Attempts))
	case reqErr.Silent:
		fmt.Fprintf(b, "%s\n\nThe server at %s accepted the connection but sent nothing within request_timeout (%s), on %s. "+
			"Check that the endpoint is the API and that nothing on the way (a proxy, a firewall) holds connections open. "+
			"To fail faster, lower request_timeout (HW_REQUEST_TIMEOUT) or max_retries (HW_MAX_RETRIES): a server that "+
			"sends nothing rarely answers later, and attempts that wait for the whole request_timeout stop after 2 minutes.",
			reqErr, reqErr.Endpoint, reqErr.RequestTimeout, attemptsText(reqErr.Attempts))
	case errors.Is(err, context.DeadlineExceeded) || client.IsTimeout(err):
		fmt.Fprintf(b, "%s\n\nNo answer came from the endpoint %s within request_timeout (%s), on %s. Check the endpoint and "+
			"the network: the host may not accept connections from this machine. To fail faster, lower request_timeout "+
			"(HW_REQUEST_TIMEOUT) or max_retries (HW_MAX_RETRIES).", reqErr, reqErr.Endpoint, reqErr.RequestTimeout, attemptsText(reqErr.Attempts))
	default:
		fmt.Fprintf(b, "%s\n\nNo answer came from the endpoint %s. Check the network and the endpoint URL.", reqErr, reqErr.Endpoint)
	}
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

// addLoginError reports a failed login in Configure, on the argument to fix:
// before any data source reads, so no IMS request is sent.
func addLoginError(diags *diag.Diagnostics, l client.Login, err error) {
	var le *client.LoginError
	if !errors.As(err, &le) {
		addRequestError(diags, "Unable to Log In", err)
		return
	}
	// What IAM answered, without the advice for a refused data source read:
	// the message below says what to check for this step.
	var cause string
	if apiErr := (*client.APIError)(nil); errors.As(le.Err, &apiErr) {
		var b strings.Builder
		writeAPIAnswer(&b, apiErr)
		cause = strings.TrimSpace(b.String())
	} else {
		var detail diag.Diagnostics
		addRequestError(&detail, "", le.Err)
		cause = detail[0].Detail()
	}
	oidc := path.Root("assume_role_with_oidc")
	switch le.Step {
	case client.StepMetadata:
		diags.AddAttributeError(path.Root("access_key"), "Missing Credentials",
			"No credentials are configured, and the ECS metadata API at "+l.MetadataEndpoint+" gave none ("+cause+"). "+
				"Off an ECS instance, log in one of these ways, tried in this order: token (HW_AUTH_TOKEN); access_key and "+
				"secret_key (HW_ACCESS_KEY, HW_SECRET_KEY); user_name, password and domain_name (HW_USER_NAME, HW_USER_PASSWORD, "+
				"HW_DOMAIN_NAME); assume_role_with_oidc (HW_ASSUME_ROLE_IDP_ID and HW_ASSUME_ROLE_ID_TOKEN_FILE); "+
				"shared_config_file or profile (HW_SHARED_CONFIG_FILE, HW_PROFILE), a KooCLI profile.")
	case client.StepPassword:
		diags.AddAttributeError(path.Root("password"), "Unable to Log In With the Password",
			"IAM refused the password login of user_name in the account domain_name (or domain_id): check the three, and that "+
				"the user may log in with a password (not only with access keys).\n\n"+cause)
	case client.StepIDToken:
		diags.AddAttributeError(oidc.AtName("id_token"), "Unable to Log In With the Id Token",
			"IAM refused the id token of assume_role_with_oidc (id_token or id_token_file): it may have expired, or its "+
				"issuer or audience may not match the identity provider idp_id.\n\n"+cause)
	case client.StepFederation:
		diags.AddAttributeError(oidc.AtName("idp_id"), "Unable to Federate the Id Token",
			"IAM accepted the id token of assume_role_with_oidc but issued no temporary keys for it: check the identity "+
				"provider's mapping rules in IAM.\n\n"+cause)
	case client.StepAgency:
		p := path.Root("assume_role").AtName("agency_name")
		if l.OIDC != nil {
			p = oidc.AtName("agency_name")
		}
		diags.AddAttributeError(p, "Unable to Assume the Agency",
			fmt.Sprintf("IAM refused to let these credentials assume the agency %q (assume_role, agency_name): check the name, "+
				"the account that created it (domain_name or domain_id), and that it trusts this user or account.\n\n%s",
				l.Agency.Name, cause))
	default:
		diags.AddError("Unable to Log In", cause)
	}
}
