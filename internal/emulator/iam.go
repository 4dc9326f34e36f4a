package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The ways to log in that IAM and the ECS metadata API offer, as the
// provider uses them: an agency assumed with any credentials, an OIDC id
// token federated to temporary keys, a password exchanged for a token, and
// an instance's keys. Each flow issues credentials of its own, which the IMS
// and Workspace APIs then accept (temporary keys only with their security
// token) until they expire.

// Defaults of the identities the emulator knows; test values, not secrets.
const (
	DefaultAgencyName   = "emulator-agency"
	DefaultDomainName   = "emulator-domain"
	DefaultDomainID     = "d0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"
	DefaultIdpID        = "emulator-idp"
	DefaultIDToken      = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlbXVsYXRvci1jaS1qb2IifQ.ZW11bGF0b3Itc2lnbmF0dXJl"
	DefaultUserName     = "emulator-user"
	DefaultUserPassword = "emulator-password"
)

// Agency is the agency the emulator lets any accepted credentials assume.
type Agency struct{ Name, DomainName, DomainID string }

// IdentityProvider is an IAM identity provider and the one id token it
// accepts.
type IdentityProvider struct{ ID, IDToken string }

// User is an IAM user who may log in with a password, naming the account
// by its name or its ID.
type User struct{ Name, Password, DomainName, DomainID string }

// inAccount reports whether a login names the user's account, by its name
// or its ID.
func (u *User) inAccount(name, id string) bool {
	return name != "" && name == u.DomainName || id != "" && id == u.DomainID
}

// The flows that issue credentials, as Issued counts them.
const (
	FlowAgency     = "agency"
	FlowFederation = "federation"
	FlowIDToken    = "id-token"
	FlowPassword   = "password"
	FlowMetadata   = "metadata"
)

const (
	securityTokensPath = "/v3.0/OS-CREDENTIAL/securitytokens"
	idTokenPath        = "/v3.0/OS-AUTH/id-token/tokens"
	passwordPath       = "/v3/auth/tokens"
	metadataPath       = "/openstack/latest/securitykey"
	maxBody            = 1 << 20
)

// issuedKeys are temporary keys the emulator issued.
type issuedKeys struct {
	Credential
	expires time.Time
}

// Issued is how many credentials a flow has issued.
func (s *Server) Issued(flow string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issuedBy[flow]
}

// ttl is how long what a flow issues lasts: CredentialTTL when set, else
// the duration asked for, else an hour.
func (s *Server) ttl(durationSeconds int) time.Duration {
	switch {
	case s.opts.CredentialTTL > 0:
		return s.opts.CredentialTTL
	case durationSeconds > 0:
		return time.Duration(durationSeconds) * time.Second
	}
	return time.Hour
}

// issueKeys makes temporary keys for a flow.
func (s *Server) issueKeys(flow string, durationSeconds int) issuedKeys {
	id := strings.ToUpper(newRequestID())
	k := issuedKeys{Credential: Credential{AccessKey: "EMU" + strings.ToUpper(strings.ReplaceAll(flow, "-", "")) + id[:12],
		SecretKey: "emulator-" + flow + "-secret-" + newRequestID(), SecurityToken: "emulator-" + flow + "-token-" + newRequestID()},
		expires: s.opts.Now().Add(s.ttl(durationSeconds)).UTC().Truncate(time.Second)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued[k.AccessKey] = k
	s.issuedBy[flow]++
	return k
}

// issueToken makes an IAM token for a flow.
func (s *Server) issueToken(flow string) (string, time.Time) {
	token := "emulator-" + flow + "-subject-" + newRequestID()
	expires := s.opts.Now().Add(s.ttl(0)).UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subjects[token] = expires
	s.issuedBy[flow]++
	return token, expires
}

// issuedCredential is the temporary keys of an access key the emulator
// issued; expired reports those past their end.
func (s *Server) issuedCredential(access string) (cred *Credential, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.issued[access]
	if !ok {
		return nil, false
	}
	return &k.Credential, !s.opts.Now().Before(k.expires)
}

// tokenValid reports whether an X-Auth-Token is accepted: a configured
// token, or one the emulator issued that has not expired.
func (s *Server) tokenValid(tok string) bool {
	if slices.Contains(s.opts.Tokens, tok) {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	expires, ok := s.subjects[tok]
	return ok && s.opts.Now().Before(expires)
}

func keysAnswer(k issuedKeys) map[string]any {
	return map[string]any{"credential": map[string]string{"access": k.AccessKey, "secret": k.SecretKey,
		"securitytoken": k.SecurityToken, "expires_at": k.expires.Format(time.RFC3339)}}
}

// iamError answers in IAM's error shape.
func iamError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "title": http.StatusText(status)},
		"error_code": code, "error_msg": msg})
}

// readJSON decodes a request body of at most maxBody bytes.
func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

// securityTokensBody is the body of /v3.0/OS-CREDENTIAL/securitytokens.
type securityTokensBody struct {
	Auth struct {
		Identity struct {
			Methods    []string `json:"methods"`
			AssumeRole *struct {
				AgencyName      string `json:"agency_name"`
				DomainName      string `json:"domain_name"`
				DomainID        string `json:"domain_id"`
				DurationSeconds int    `json:"duration_seconds"`
			} `json:"assume_role"`
			Token *struct {
				ID              string `json:"id"`
				DurationSeconds int    `json:"duration_seconds"`
			} `json:"token"`
		} `json:"identity"`
	} `json:"auth"`
}

// serveSecurityTokens issues temporary keys: for an agency (method
// assume_role, signed with any accepted credentials) or for a federated
// token (method token, with X-Auth-Token).
func (s *Server) serveSecurityTokens(w http.ResponseWriter, r *http.Request) {
	if !s.authenticate(w, r) {
		return
	}
	var body securityTokensBody
	if err := readJSON(r, &body); err != nil {
		iamError(w, http.StatusBadRequest, "IAM.0001", "The request body is not JSON: "+err.Error())
		return
	}
	id := body.Auth.Identity
	switch {
	case slices.Equal(id.Methods, []string{"assume_role"}) && id.AssumeRole != nil:
		a := id.AssumeRole
		want := s.opts.Agency
		if d := a.DurationSeconds; d != 0 && (d < 900 || d > 43200) {
			iamError(w, http.StatusBadRequest, "IAM.0007", fmt.Sprintf("duration_seconds %d is not from 900 to 43200", d))
			return
		}
		if want == nil || a.AgencyName != want.Name || (a.DomainName == "" && a.DomainID == "") ||
			(a.DomainName != "" && a.DomainName != want.DomainName) || (a.DomainID != "" && a.DomainID != want.DomainID) {
			iamError(w, http.StatusForbidden, "IAM.0002", "You do not have permission to assume the agency "+a.AgencyName)
			return
		}
		writeJSON(w, http.StatusCreated, keysAnswer(s.issueKeys(FlowAgency, a.DurationSeconds)))
	case slices.Equal(id.Methods, []string{"token"}) && id.Token != nil:
		if id.Token.ID != r.Header.Get("X-Auth-Token") {
			iamError(w, http.StatusBadRequest, "IAM.0001", "token.id is not the X-Auth-Token of the request")
			return
		}
		writeJSON(w, http.StatusCreated, keysAnswer(s.issueKeys(FlowFederation, id.Token.DurationSeconds)))
	default:
		iamError(w, http.StatusBadRequest, "IAM.0001", "methods must be [\"assume_role\"] or [\"token\"], with that member")
	}
}

// serveIDToken exchanges the identity provider's id token for a subject
// token; the request is not signed.
func (s *Server) serveIDToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	if err := readJSON(r, &body); err != nil {
		iamError(w, http.StatusBadRequest, "IAM.0001", "The request body is not JSON: "+err.Error())
		return
	}
	idp := s.opts.IdentityProvider
	switch {
	case idp == nil || r.Header.Get("X-Idp-Id") != idp.ID:
		iamError(w, http.StatusNotFound, "IAM.0004", "The identity provider in X-Idp-Id does not exist")
	case body.Auth.IDToken.ID != idp.IDToken:
		iamError(w, http.StatusUnauthorized, "IAM.0006", "The id token is invalid or has expired")
	default:
		s.answerToken(w, FlowIDToken, "mapped")
	}
}

// servePassword exchanges a user's password for a token scoped to a
// project of the account; the request is not signed.
func (s *Server) servePassword(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Auth struct {
			Identity struct {
				Methods  []string `json:"methods"`
				Password struct {
					User struct {
						Name     string `json:"name"`
						Password string `json:"password"`
						Domain   struct {
							Name string `json:"name"`
							ID   string `json:"id"`
						} `json:"domain"`
					} `json:"user"`
				} `json:"password"`
			} `json:"identity"`
			Scope struct {
				Project struct {
					Name string `json:"name"`
					ID   string `json:"id"`
				} `json:"project"`
			} `json:"scope"`
		} `json:"auth"`
	}
	if err := readJSON(r, &body); err != nil {
		iamError(w, http.StatusBadRequest, "IAM.0001", "The request body is not JSON: "+err.Error())
		return
	}
	a, u := body.Auth, s.opts.User
	user := a.Identity.Password.User
	_, projectKnown := s.opts.Projects[a.Scope.Project.Name]
	switch {
	case !slices.Equal(a.Identity.Methods, []string{"password"}):
		iamError(w, http.StatusBadRequest, "IAM.0001", "methods must be [\"password\"]")
	case u == nil || user.Name != u.Name || user.Password != u.Password || !u.inAccount(user.Domain.Name, user.Domain.ID):
		iamError(w, http.StatusUnauthorized, "IAM.0101", "The username or password is incorrect")
	case !projectKnown && !s.ownsProject(a.Scope.Project.ID):
		iamError(w, http.StatusBadRequest, "IAM.0004", "The project of the scope does not exist")
	default:
		s.answerToken(w, FlowPassword, "password")
	}
}

// answerToken issues a token of a flow, in X-Subject-Token, as IAM answers
// a login by method.
func (s *Server) answerToken(w http.ResponseWriter, flow, method string) {
	token, expires := s.issueToken(flow)
	w.Header().Set("X-Subject-Token", token)
	writeJSON(w, http.StatusCreated, map[string]any{"token": map[string]any{"expires_at": expires.Format(time.RFC3339), "methods": []string{method}}})
}

// serveMetadata answers the ECS metadata API's security key: the
// instance's temporary keys, without authentication.
func (s *Server) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, keysAnswer(s.issueKeys(FlowMetadata, 0)))
}

// loginRoutes are served before authentication: each checks what it needs.
var loginRoutes = map[string]struct {
	method string
	serve  func(s *Server, w http.ResponseWriter, r *http.Request)
}{
	securityTokensPath: {http.MethodPost, (*Server).serveSecurityTokens},
	idTokenPath:        {http.MethodPost, (*Server).serveIDToken},
	passwordPath:       {http.MethodPost, (*Server).servePassword},
	metadataPath:       {http.MethodGet, (*Server).serveMetadata},
}

// IssuedSecrets lists every secret the emulator issued (secret keys,
// security tokens and tokens), for tests that look for them where they
// must never be.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.issued {
		out = append(out, k.SecretKey, k.SecurityToken)
	}
	for tok := range s.subjects {
		out = append(out, tok)
	}
	return out
}
