package provider

import (
	"net"
	"os"
	"time"
)

// Option changes how the provider runs: the hooks tests and benchmarks need
// (waits between retries, name resolution, the clock) and the read path.
// Users set none of them; the read path follows HWC_READ_PATH.
type Option func(*settings)

// settings are what Options set, with the defaults of a release build.
type settings struct {
	retryWaitMin, retryWaitMax time.Duration
	resolver                   *net.Resolver // nil is the system's
	now                        func() time.Time
	frameworkReads             bool // every read through the framework (HWC_READ_PATH=framework)
}

// readPathEnv names the environment variable that, set to "framework",
// sends every data source read through terraform-plugin-framework instead
// of the provider's direct path: the escape hatch for users, and the
// oracle of the tests.
const readPathEnv = "HWC_READ_PATH"

func newSettings(opts []Option) settings {
	s := settings{retryWaitMin: time.Second, retryWaitMax: 30 * time.Second, now: time.Now,
		frameworkReads: os.Getenv(readPathEnv) == "framework"}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// WithRetryWaits bounds the backoff between retries (1 s to 30 s by default).
func WithRetryWaits(lo, hi time.Duration) Option {
	return func(s *settings) { s.retryWaitMin, s.retryWaitMax = lo, hi }
}

// WithResolver resolves endpoint host names with r instead of the system.
func WithResolver(r *net.Resolver) Option { return func(s *settings) { s.resolver = r } }

// WithClock reads the time of a read (min_age) from now.
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithFrameworkReads sends every read through the framework, or through the
// direct path where it can take it, whatever HWC_READ_PATH says.
func WithFrameworkReads(on bool) Option { return func(s *settings) { s.frameworkReads = on } }
