package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Credentials sign requests (an AK/SK, with a security token when
// temporary) or authenticate them (an IAM token sent as X-Auth-Token).
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
	Token         string
	// ExpiresAt is when temporary credentials stop working; zero for
	// credentials that do not expire.
	ExpiresAt time.Time
}

// Login says how the client obtains its credentials, in the order the
// official provider tries them: an id token federated through OIDC, else
// Token, else the AK/SK, else a password, else the ECS metadata API; then,
// when Agency is set, the agency is assumed with what the first step gave.
// A Login with only static keys and no agency needs no request.
type Login struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
	Token         string

	Password *PasswordLogin
	OIDC     *OIDCLogin
	Agency   *AgencyLogin
	// MetadataEndpoint is the base URL of the ECS metadata API, asked when
	// nothing else gives credentials; "" never asks it.
	MetadataEndpoint string
}

// PasswordLogin is an IAM user's password, exchanged for a project-scoped
// IAM token (POST /v3/auth/tokens).
type PasswordLogin struct {
	User       string
	Password   string
	DomainName string
	DomainID   string
}

// OIDCLogin exchanges an OpenID Connect id token for temporary keys
// (POST /v3.0/OS-AUTH/id-token/tokens, then /v3.0/OS-CREDENTIAL/securitytokens).
type OIDCLogin struct {
	IdpID   string
	IDToken string
	// Duration asks for keys valid this many seconds; 0 leaves it to IAM.
	// With an Agency, the agency's Duration applies instead.
	Duration int
}

// AgencyLogin assumes an agency (POST /v3.0/OS-CREDENTIAL/securitytokens,
// method assume_role).
type AgencyLogin struct {
	Name       string
	DomainName string
	DomainID   string
	Duration   int // seconds; 0 leaves it to IAM
}

// static reports whether the login needs no request: keys or a token as
// given, no agency.
func (l Login) static() bool {
	return l.OIDC == nil && l.Agency == nil && (l.Token != "" || l.AccessKey != "")
}

// secrets are what the login holds that must never be shown.
func (l Login) secrets() []string {
	s := []string{l.SecretKey, l.SecurityToken, l.Token, l.AccessKey}
	if l.Password != nil {
		s = append(s, l.Password.Password)
	}
	if l.OIDC != nil {
		s = append(s, l.OIDC.IDToken)
	}
	return s
}

// Login steps, as LoginError names them.
const (
	StepMetadata   = "ECS metadata"
	StepPassword   = "password"
	StepIDToken    = "OIDC id token"
	StepFederation = "OIDC federation"
	StepAgency     = "agency"
)

// LoginError is a login step that failed; Err is the request's error.
type LoginError struct {
	Step string
	Err  error
}

func (e *LoginError) Error() string { return "logging in (" + e.Step + "): " + e.Err.Error() }
func (e *LoginError) Unwrap() error { return e.Err }

// metadataLimit bounds the ECS metadata request: off ECS nothing answers,
// and a plan must fail quickly then.
const metadataLimit = 5 * time.Second

// renewLead is how long before expiry temporary credentials are renewed;
// credentials that live shorter are renewed half-way through their life.
const renewLead = 5 * time.Minute

// session holds the credentials of the client and renews them.
type session struct {
	creds    atomic.Pointer[Credentials]
	obtained atomic.Pointer[time.Time]
	renewing chan struct{} // a slot: one renewal at a time, every read waits for it
}

// start begins with the login's keys or token when it needs no request,
// else with nothing: the first request logs in.
func (s *session) start(l Login) {
	s.renewing = make(chan struct{}, 1)
	if l.static() {
		s.creds.Store(&Credentials{AccessKey: l.AccessKey, SecretKey: l.SecretKey, SecurityToken: l.SecurityToken, Token: l.Token})
	}
}

// LogIn obtains the credentials when the login needs requests, so that a
// failed login is reported before any data source reads; later reads renew
// them when they are due. It returns a *LoginError, or an error of the
// request.
func (c *Client) LogIn(ctx context.Context) error {
	_, err := c.credentials(ctx)
	return err
}

// credentials returns the current credentials, logging in or renewing
// first when they are missing or due. One renewal runs at a time and every
// caller waits for it, each until its own context ends.
func (c *Client) credentials(ctx context.Context) (Credentials, error) {
	if cur := c.session.creds.Load(); cur != nil && !c.due(*cur) {
		return *cur, nil
	}
	select {
	case c.session.renewing <- struct{}{}:
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
	defer func() { <-c.session.renewing }()
	cur := c.session.creds.Load()
	if cur != nil && !c.due(*cur) {
		return *cur, nil
	}
	now := c.cfg.Now()
	creds, err := c.logIn(ctx)
	if err != nil {
		if cur != nil && now.Before(cur.ExpiresAt) {
			return *cur, nil // still valid: the next read tries again
		}
		return Credentials{}, err
	}
	c.session.obtained.Store(&now)
	c.session.creds.Store(&creds)
	return creds, nil
}

// due reports whether temporary credentials are to be renewed: five
// minutes before they expire, or half-way through a shorter life.
func (c *Client) due(cur Credentials) bool {
	if cur.ExpiresAt.IsZero() {
		return false
	}
	lead := renewLead
	if obtained := c.session.obtained.Load(); obtained != nil {
		lead = min(lead, cur.ExpiresAt.Sub(*obtained)/2)
	}
	return !c.cfg.Now().Before(cur.ExpiresAt.Add(-lead))
}

// logIn runs the login's steps.
func (c *Client) logIn(ctx context.Context) (Credentials, error) {
	l := c.cfg.Login
	var base Credentials
	var err error
	switch {
	case l.OIDC != nil:
		base, err = c.federate(ctx, *l.OIDC, l.Agency == nil)
	case l.Token != "":
		base = Credentials{Token: l.Token}
	case l.AccessKey != "":
		base = Credentials{AccessKey: l.AccessKey, SecretKey: l.SecretKey, SecurityToken: l.SecurityToken}
	case l.Password != nil:
		base, err = c.passwordToken(ctx, *l.Password)
	case l.MetadataEndpoint != "":
		base, err = c.metadataKeys(ctx, l.MetadataEndpoint)
	default:
		err = &LoginError{Step: StepMetadata, Err: errors.New("no credentials are configured")}
	}
	if err != nil || l.Agency == nil {
		return base, err
	}
	return c.assumeAgency(ctx, base, *l.Agency)
}

// iamCall is one POST to IAM during a login; it returns the answer's
// headers and decodes its JSON body into out (when not nil).
func (c *Client) iamCall(ctx context.Context, step, path string, creds Credentials, header http.Header, body, out any) (http.Header, error) {
	r, err := c.Region("")
	if err != nil {
		return nil, &LoginError{Step: step, Err: err}
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, &LoginError{Step: step, Err: err}
	}
	var answer http.Header
	req := request{region: r, service: IAM, path: path, method: http.MethodPost, body: payload, header: header, creds: &creds,
		answer: func(h http.Header) { answer = h }}
	err = c.send(ctx, req, func(rd io.Reader) error {
		if out == nil {
			return nil
		}
		return newJSONDecoder(rd).Decode(out)
	})
	if err != nil {
		return nil, &LoginError{Step: step, Err: err}
	}
	return answer, nil
}

// temporaryKeys is the answer of /v3.0/OS-CREDENTIAL/securitytokens and of
// the ECS metadata API.
type temporaryKeys struct {
	Credential struct {
		Access        string `json:"access"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
		ExpiresAt     string `json:"expires_at"`
	} `json:"credential"`
}

// keys checks the answer and teaches the cleaner its secrets first.
func (c *Client) keys(step string, k temporaryKeys) (Credentials, error) {
	cr := k.Credential
	c.learn(cr.Access, cr.Secret, cr.SecurityToken)
	if cr.Access == "" || cr.Secret == "" || cr.SecurityToken == "" {
		return Credentials{}, &LoginError{Step: step, Err: errors.New("the answer holds no access, secret and securitytoken")}
	}
	expires, err := time.Parse(time.RFC3339, cr.ExpiresAt)
	if err != nil {
		return Credentials{}, &LoginError{Step: step, Err: fmt.Errorf("the answer's expires_at %q is not a time", c.cleanShort(cr.ExpiresAt))}
	}
	return Credentials{AccessKey: cr.Access, SecretKey: cr.Secret, SecurityToken: cr.SecurityToken, ExpiresAt: expires}, nil
}

// assumeAgency exchanges base credentials for the agency's temporary keys.
func (c *Client) assumeAgency(ctx context.Context, base Credentials, a AgencyLogin) (Credentials, error) {
	role := map[string]any{"agency_name": a.Name}
	if a.DomainName != "" {
		role["domain_name"] = a.DomainName
	}
	if a.DomainID != "" {
		role["domain_id"] = a.DomainID
	}
	if a.Duration > 0 {
		role["duration_seconds"] = a.Duration
	}
	body := map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"assume_role"}, "assume_role": role}}}
	var k temporaryKeys
	if _, err := c.iamCall(ctx, StepAgency, "/v3.0/OS-CREDENTIAL/securitytokens", base, nil, body, &k); err != nil {
		return Credentials{}, err
	}
	return c.keys(StepAgency, k)
}

// federate exchanges an id token for a subject token, and that for
// temporary keys; withDuration asks for the OIDC duration.
func (c *Client) federate(ctx context.Context, o OIDCLogin, withDuration bool) (Credentials, error) {
	body := map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": o.IDToken}}}
	h, err := c.iamCall(ctx, StepIDToken, "/v3.0/OS-AUTH/id-token/tokens", Credentials{}, http.Header{"X-Idp-Id": {o.IdpID}}, body, nil)
	if err != nil {
		return Credentials{}, err
	}
	subject, err := c.subjectToken(StepIDToken, h)
	if err != nil {
		return Credentials{}, err
	}
	token := map[string]any{"id": subject}
	if withDuration && o.Duration > 0 {
		token["duration_seconds"] = o.Duration
	}
	body = map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": token}}}
	var k temporaryKeys
	if _, err := c.iamCall(ctx, StepFederation, "/v3.0/OS-CREDENTIAL/securitytokens", Credentials{Token: subject}, nil, body, &k); err != nil {
		return Credentials{}, err
	}
	return c.keys(StepFederation, k)
}

// subjectToken is the IAM token an answer carries in X-Subject-Token,
// taught to the cleaner before anything can quote it.
func (c *Client) subjectToken(step string, h http.Header) (string, error) {
	token := h.Get("X-Subject-Token")
	c.learn(token)
	if token == "" {
		return "", &LoginError{Step: step, Err: errors.New("the answer has no X-Subject-Token header")}
	}
	return token, nil
}

// passwordToken exchanges a password for an IAM token scoped to the
// configured project, or to the project named after the region.
func (c *Client) passwordToken(ctx context.Context, p PasswordLogin) (Credentials, error) {
	domain := map[string]any{"name": p.DomainName}
	if p.DomainName == "" {
		domain = map[string]any{"id": p.DomainID}
	}
	project := map[string]any{"name": c.cfg.Region}
	if c.cfg.ProjectID != "" {
		project = map[string]any{"id": c.cfg.ProjectID}
	}
	body := map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"},
			"password": map[string]any{"user": map[string]any{"name": p.User, "password": p.Password, "domain": domain}}},
		"scope": map[string]any{"project": project},
	}}
	var answer struct {
		Token struct {
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	h, err := c.iamCall(ctx, StepPassword, "/v3/auth/tokens", Credentials{}, nil, body, &answer)
	if err != nil {
		return Credentials{}, err
	}
	token, err := c.subjectToken(StepPassword, h)
	if err != nil {
		return Credentials{}, err
	}
	expires, _ := time.Parse(time.RFC3339, answer.Token.ExpiresAt) // a token without a known end is used until refused
	return Credentials{Token: token, ExpiresAt: expires}, nil
}

// metadataKeys asks the ECS metadata API for the instance's temporary
// keys, within metadataLimit, once: off ECS nothing answers.
func (c *Client) metadataKeys(ctx context.Context, endpoint string) (Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, metadataLimit)
	defer cancel()
	fail := func(err error) (Credentials, error) { return Credentials{}, &LoginError{Step: StepMetadata, Err: err} }
	u := strings.TrimSuffix(endpoint, "/") + "/openstack/latest/securitykey"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fail(err)
	}
	resp, err := c.metadata.Do(req)
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return fail(fmt.Errorf("no answer within %s", metadataLimit))
	case err != nil:
		return fail(errors.New(c.clean(unwrapURLError(err).Error())))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("GET %s: HTTP %d", req.URL.Path, resp.StatusCode))
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, 1<<20)); err != nil {
		return fail(errors.New(c.clean(err.Error())))
	}
	var k temporaryKeys
	if err := json.Unmarshal(buf.Bytes(), &k); err != nil {
		return fail(fmt.Errorf("the answer is not the metadata API's JSON: %s", c.clean(err.Error())))
	}
	return c.keys(StepMetadata, k)
}

// learn adds secrets received during a login to what the cleaner masks.
func (c *Client) learn(secrets ...string) {
	c.cleanerMu.Lock()
	defer c.cleanerMu.Unlock()
	c.secrets = append(c.secrets, secrets...)
	c.cleaner.Store(newCleaner(c.secrets...))
}
