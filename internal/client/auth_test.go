package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// keysServer answers the ECS metadata API with temporary keys that expire
// after ttl (by clock), counting what it issued, and answers everything else
// with handler.
func keysServer(t *testing.T, clock func() time.Time, ttl time.Duration, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var issued atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/openstack/latest/securitykey" {
			handler(w, r)
			return
		}
		n := issued.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"credential": map[string]string{
			"access": fmt.Sprintf("ISSUEDACCESS%04d", n), "secret": fmt.Sprintf("issued-secret-%04d-a1b2c3d4e5f6", n),
			"securitytoken": fmt.Sprintf("issued-session-token-%04d-f6e5d4c3b2a1", n), "expires_at": clock().Add(ttl).Format(time.RFC3339)}})
	}))
	t.Cleanup(srv.Close)
	return srv, &issued
}

// A secret the client received while logging in is masked like a
// configured one: here a server echoes the issued secret key and security
// token into an error body.
func TestLogin_receivedSecretsAreMasked(t *testing.T) {
	srv, _ := keysServer(t, time.Now, time.Hour, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"error_code":"X.1","error_msg":"signature of %s with %s","error_detail":"token %s"}`,
			r.Header.Get("Authorization"), "issued-secret-0001-a1b2c3d4e5f6", r.Header.Get("X-Security-Token"))
	})
	r := newTestClient(t, srv.URL, func(c *Config) { c.Login = Login{MetadataEndpoint: srv.URL} })
	_, err := listImages(r)
	if err == nil {
		t.Fatal("no error")
	}
	for _, secret := range []string{"issued-secret-0001", "issued-session-token-0001", "ISSUEDACCESS0001"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %s: %s", secret, err)
		}
	}
	if !strings.Contains(err.Error(), "***") {
		t.Errorf("nothing was masked: %s", err)
	}
}

// Temporary keys are renewed five minutes before they expire, or half-way
// through a shorter life; once for every concurrent request; and not while
// they are fresh.
func TestLogin_renewal(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	for _, c := range []struct {
		ttl, fresh, due time.Duration
	}{
		{time.Hour, 54 * time.Minute, 55 * time.Minute},
		{4 * time.Minute, time.Minute, 2 * time.Minute},
	} {
		t.Run(c.ttl.String(), func(t *testing.T) {
			srv, issued := keysServer(t, clock, c.ttl, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"images":[]}`))
			})
			r := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Login = Login{MetadataEndpoint: srv.URL}; cfg.Now = clock })
			if err := r.c.LogIn(context.Background()); err != nil {
				t.Fatal(err)
			}
			advance(c.fresh)
			if _, err := listImages(r); err != nil || issued.Load() != 1 {
				t.Fatalf("fresh keys renewed: %d issued, %v", issued.Load(), err)
			}
			advance(c.due - c.fresh)
			r.c.pages = pageCache{} // a new read, not the cached page
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					if _, err := r.c.credentials(context.Background()); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got := issued.Load(); got != 2 {
				t.Errorf("%d keys issued after %s of %s, want one renewal shared by every request", got, c.due, c.ttl)
			}
		})
	}
}

// A metadata API that is not there fails the login at once, naming the step.
func TestLogin_metadataRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	r := newTestClient(t, base, func(c *Config) { c.Login = Login{MetadataEndpoint: base} })
	err := r.c.LogIn(context.Background())
	var le *LoginError
	if !errors.As(err, &le) || le.Step != StepMetadata {
		t.Fatalf("LogIn = %v, want a LoginError of the metadata step", err)
	}
}
