package auth

import (
	"strings"
	"testing"
)

func TestClientAddress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		trust  bool
		hops   int
		remote string
		xff    []string
		want   string
	}{
		{"peer", false, 0, "198.51.100.7:5123", nil, "198.51.100.7"},
		{"peer IPv6", false, 0, "[2001:db8::7]:5123", nil, "2001:db8::7"},
		{"peer IPv4-mapped", false, 0, "[::ffff:198.51.100.7]:5123", nil, "198.51.100.7"},
		{"untrusted header ignored", false, 0, "198.51.100.7:5123", []string{"203.0.113.9"}, "198.51.100.7"},
		{"proxy", true, 0, "10.0.0.2:5123", []string{"203.0.113.9"}, "203.0.113.9"},
		{"spoofed entries left of the proxy's", true, 0, "10.0.0.2:5123", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"several headers", true, 0, "10.0.0.2:5123", []string{"1.2.3.4", "203.0.113.9"}, "203.0.113.9"},
		{"two proxies", true, 2, "10.0.0.2:5123", []string{"1.2.3.4, 203.0.113.9, 10.0.0.5"}, "203.0.113.9"},
		{"fewer entries than hops", true, 3, "10.0.0.2:5123", []string{"203.0.113.9, 10.0.0.5"}, "203.0.113.9"},
		{"entry with port", true, 0, "10.0.0.2:5123", []string{"[2001:db8::9]:443"}, "2001:db8::9"},
		{"garbage entry", true, 0, "10.0.0.2:5123", []string{"unknown"}, "10.0.0.2"},
		{"no header", true, 0, "10.0.0.2:5123", nil, "10.0.0.2"},
		{"unix socket", false, 0, "@", nil, "@"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(Config{Store: newMemStore(), TrustProxy: tc.trust, ProxyHops: tc.hops})
			if err != nil {
				t.Fatal(err)
			}
			r := request("GET", "/", "x")
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := m.ClientAddress(r); got != tc.want {
				t.Errorf("ClientAddress = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestThrottleAddress(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.7":                     "198.51.100.7",
		"2001:db8:1:2:3:4:5:6":             "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":             "2001:db8:1:2::/64",
		"@":                                "@",
		"/run/" + strings.Repeat("x", 300): "/run/" + strings.Repeat("x", 95),
	} {
		if got := throttleAddress(in); got != want {
			t.Errorf("throttleAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
