package auth

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddress returns the address of the client that sent r: the peer
// address, or with Config.TrustProxy the entry of X-Forwarded-For that
// the nearest proxy appended (ProxyHops from the right), because entries
// further left are whatever the client chose to send. IPv4-mapped IPv6
// addresses are written as IPv4.
func (m *Manager) ClientAddress(r *http.Request) string {
	if m.trustProxy {
		if a, ok := forwardedFor(r.Header.Values("X-Forwarded-For"), m.proxyHops); ok {
			return a.String()
		}
	}
	return peerAddress(r.RemoteAddr)
}

// forwardedFor picks the client's entry of X-Forwarded-For headers.
func forwardedFor(values []string, hops int) (netip.Addr, bool) {
	var entries []string
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				entries = append(entries, e)
			}
		}
	}
	if len(entries) == 0 {
		return netip.Addr{}, false
	}
	i := len(entries) - hops
	if i < 0 {
		i = 0
	}
	return parseAddr(entries[i])
}

// parseAddr reads an address with or without a port ("[::1]:80",
// "203.0.113.9:4711", "2001:db8::1").
func parseAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// peerAddress returns the host part of a RemoteAddr, or RemoteAddr itself
// when it is not host:port (a Unix socket).
func peerAddress(remote string) string {
	if a, ok := parseAddr(remote); ok {
		return a.String()
	}
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

// maxKeyAddress bounds the address part of a throttle key; with the
// longest e-mail address a key stays under the SQL stores' 400 bytes.
const maxKeyAddress = 100

// throttleAddress returns the part of a client address that login limits
// count: the whole IPv4 address, but an IPv6 address's /64 network, since
// one subscriber commonly holds a whole /64 and could otherwise change
// address at every attempt.
func throttleAddress(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		// Not an IP address (a Unix socket's peer): bounded, since it
		// becomes part of a key.
		return truncate(addr, maxKeyAddress)
	}
	if !a.Is6() {
		return addr
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// isHTTPS reports whether the client reached us over HTTPS: r arrived
// over TLS or, with TrustProxy, the proxy says so in X-Forwarded-Proto.
func (m *Manager) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !m.trustProxy {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
