package client

import (
	"net/url"
	"testing"
)

func TestSignature_publishedVectors(t *testing.T) {
	cases := []struct {
		name, path, query, sk, wantSigned, wantSig string
		headers                                    map[string]string
	}{
		{
			name: "minimal", path: "/path", query: "limit=1", sk: "SecretKey",
			headers:    map[string]string{"x-sdk-date": "20060102T150405Z"},
			wantSigned: "x-sdk-date",
			wantSig:    "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
		},
		{
			name: "signing guide", path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
			query: "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
			sk:    "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
			headers: map[string]string{
				"content-type": "application/json",
				"host":         "service.region.example.com",
				"x-sdk-date":   "20191115T033655Z",
			},
			wantSigned: "content-type;host;x-sdk-date",
			wantSig:    "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			sts, signed := stringToSign("GET", c.path, q, c.headers, nil, c.headers["x-sdk-date"])
			if signed != c.wantSigned {
				t.Errorf("signed headers = %q, want %q", signed, c.wantSigned)
			}
			if got := signature(sts, c.sk); got != c.wantSig {
				t.Errorf("signature = %s, want %s", got, c.wantSig)
			}
		})
	}
}
