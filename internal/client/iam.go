package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
)

// NoProjectError means IAM knows no project named after the region.
type NoProjectError struct{ Region string }

func (e *NoProjectError) Error() string {
	return fmt.Sprintf("IAM has no project named %q for these credentials", e.Region)
}

// ProjectID returns the configured project id or looks it up through IAM
// (GET /v3/projects?name={region}). A successful look-up is kept for the life
// of the client, which is one provider process; a failed one is tried again
// by the next caller.
func (c *Client) ProjectID(ctx context.Context) (string, error) {
	c.projectMu.Lock()
	defer c.projectMu.Unlock()
	if c.projectID != "" {
		return c.projectID, nil
	}
	var body struct {
		Projects []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"projects"`
	}
	err := c.get(ctx, request{service: IAM, path: "/v3/projects", query: url.Values{"name": {c.cfg.Region}}}, func(r io.Reader) error {
		if err := json.NewDecoder(r).Decode(&body); err != nil {
			return err
		}
		if body.Projects == nil {
			return fmt.Errorf("the response has no \"projects\" list")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, p := range body.Projects {
		if p.Name == c.cfg.Region && p.ID != "" {
			c.projectID = p.ID
			return p.ID, nil
		}
	}
	return "", &NoProjectError{Region: c.cfg.Region}
}
