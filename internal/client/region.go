package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var (
	regionPattern    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	cloudPattern     = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// CheckRegion accepts a region name: one lower-case DNS label such as
// cn-north-4. Anything else could change the host a request goes to.
func CheckRegion(s string) error {
	if !regionPattern.MatchString(s) {
		return fmt.Errorf("%q is not a region name: use lower-case letters, digits and hyphens, such as \"cn-north-4\"", s)
	}
	return nil
}

// CheckCloud accepts the domain endpoints are built on, such as
// myhuaweicloud.com: lower-case DNS labels joined by dots.
func CheckCloud(s string) error {
	if len(s) > 253 || !cloudPattern.MatchString(s) {
		return fmt.Errorf("%q is not a domain name: use lower-case DNS labels joined by dots, such as \"myhuaweicloud.com\" or \"myhuaweicloud.eu\"", s)
	}
	return nil
}

// CheckProjectID accepts a project id: one URL path segment of letters,
// digits, "-" and "_". Anything else could change the path a request goes to.
func CheckProjectID(s string) error {
	if !projectIDPattern.MatchString(s) {
		return fmt.Errorf("%q is not a project ID: use up to 64 letters, digits, \"-\" and \"_\", such as \"0a1b2c3d4e5f40718293a4b5c6d7e8f9\"", s)
	}
	return nil
}

// Region is the client's view of one region: its endpoints and its project.
type Region struct {
	c         *Client
	name      string
	endpoints map[Service]*url.URL
	project   projectLookup
}

// projectLookup finds the project of a region once. Every caller waits for
// the same look-up, each until its own context ends, and a failure is kept
// and handed to every later caller as well.
type projectLookup struct {
	start chan struct{} // closed by the caller that starts the look-up
	done  chan struct{} // closed when id or err is set
	id    string
	err   error
}

// lookupLimit bounds a project look-up that no caller waits for any more.
const lookupLimit = 10 * time.Minute

// Region returns the client's view of a region ("" is the configured one),
// made once per region for the life of the client.
func (c *Client) Region(name string) (*Region, error) {
	if name == "" {
		name = c.cfg.Region
	}
	c.regionsMu.Lock()
	defer c.regionsMu.Unlock()
	if r, ok := c.regions[name]; ok {
		return r, nil
	}
	if err := CheckRegion(name); err != nil {
		return nil, err
	}
	r := &Region{c: c, name: name, endpoints: map[Service]*url.URL{},
		project: projectLookup{start: make(chan struct{}, 1), done: make(chan struct{})}}
	for _, s := range Services {
		raw, ok := c.cfg.Endpoints[s]
		if !ok {
			return nil, fmt.Errorf("no endpoint for %s", s)
		}
		u, err := ParseEndpoint(strings.ReplaceAll(raw, RegionPlaceholder, name))
		if err != nil {
			return nil, fmt.Errorf("endpoint %s of region %s: %w", s, name, err)
		}
		r.endpoints[s] = u
	}
	if name == c.cfg.Region && c.cfg.ProjectID != "" {
		r.project.id = c.cfg.ProjectID
		close(r.project.done)
	} else {
		r.project.start <- struct{}{}
	}
	c.regions[name] = r
	return r, nil
}

// Name is the region's name.
func (r *Region) Name() string { return r.name }

// ProjectLookupError is a failed IAM look-up of a region's project.
type ProjectLookupError struct {
	Region   string
	Endpoint string // the IAM endpoint asked
	Err      error
}

func (e *ProjectLookupError) Error() string {
	return fmt.Sprintf("looking up the project of region %q at %s: %v", e.Region, e.Endpoint, e.Err)
}

func (e *ProjectLookupError) Unwrap() error { return e.Err }

// NoProjectError means IAM knows no project named after the region.
type NoProjectError struct{ Region string }

func (e *NoProjectError) Error() string {
	return fmt.Sprintf("IAM has no project named %q for these credentials", e.Region)
}

// ProjectID returns the project id of the region: configured, or looked up
// through IAM (GET /v3/projects?name={region}) once for the life of the
// client. The look-up runs on its own, bounded by the retry policy and
// lookupLimit, until the client is closed; a caller whose context ends stops
// waiting for it, and others go on waiting.
func (r *Region) ProjectID(ctx context.Context) (string, error) {
	select {
	case <-r.project.start:
		go r.lookUpProject(context.WithoutCancel(ctx)) // the caller's values (its logger), not its end
	default:
	}
	select {
	case <-r.project.done:
		return r.project.id, r.project.err
	case <-ctx.Done():
		return "", &ProjectLookupError{Region: r.name, Endpoint: r.endpoints[IAM].String(),
			Err: fmt.Errorf("stopped waiting for the look-up: %w", ctx.Err())}
	}
}

func (r *Region) lookUpProject(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, lookupLimit)
	defer cancel()
	defer context.AfterFunc(r.c.life, cancel)()
	defer close(r.project.done)
	id, err := r.findProject(ctx)
	if err != nil {
		r.project.err = &ProjectLookupError{Region: r.name, Endpoint: r.endpoints[IAM].String(), Err: err}
		return
	}
	r.project.id = id
}

func (r *Region) findProject(ctx context.Context) (string, error) {
	var body struct {
		Projects []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"projects"`
	}
	err := r.c.send(ctx, request{region: r, service: IAM, path: "/v3/projects", query: url.Values{"name": {r.name}}}, func(rd io.Reader) error {
		body.Projects = nil
		if err := newJSONDecoder(rd).Decode(&body); err != nil {
			return err
		}
		if body.Projects == nil {
			return errors.New("the response has no \"projects\" list")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, p := range body.Projects {
		if p.Name == r.name && p.ID != "" {
			if err := CheckProjectID(p.ID); err != nil {
				return "", fmt.Errorf("IAM answered with a project ID that is not one: %s", r.c.clean(err.Error()))
			}
			return p.ID, nil
		}
	}
	return "", &NoProjectError{Region: r.name}
}
