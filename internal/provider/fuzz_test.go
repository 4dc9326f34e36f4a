package provider

import (
	"testing"
	"time"
)

// The time filters accept exactly the RFC 3339 times that exist, and what
// they send is that instant in UTC, cut to the whole second.
func FuzzParseFilterTime(f *testing.F) {
	for _, s := range []string{"2024-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2025-01-01T08:00:00+08:00", "2025-01-01T00:00:00.5Z", "2025-13-01T00:00:00Z", "yesterday", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseFilterTime(s)
		want, wantErr := time.Parse(time.RFC3339, s)
		if (err == nil) != (wantErr == nil) || err == nil && !got.Equal(want) {
			t.Fatalf("parseFilterTime(%q) = %v, %v; time.Parse gives %v, %v", s, got, err, want, wantErr)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		if back, err := time.Parse(apiTimeFormat, got.UTC().Truncate(time.Second).Format(apiTimeFormat)); err != nil || !back.Equal(got.UTC().Truncate(time.Second)) {
			t.Fatalf("the API form of %v does not parse back: %v", got, err)
		}
	})
}
