package cache

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
)

// A kept page is written to the client in one system call. net/http
// writes a response through a 4 KB buffer: the headers and the start of a
// 15 KB page fill it and go out in one write, the rest of the page in a
// second. Under load a cache hit costs little besides its writes, so the
// second one is a good share of the server's time, and each extra TCP
// segment wakes the client once more. The server's connections can hold
// their writes while the cache replies (Listener, ConnContext), and send
// what was held as one.

// Listener returns ln, its connections able to hold writes for the
// cache. Serve it with ConnContext set as the server's ConnContext.
func Listener(ln net.Listener) net.Listener { return holdListener{ln} }

// ConnContext is an http.Server ConnContext that makes the connection
// available to the cache's replies.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*holdConn); ok {
		return context.WithValue(ctx, connKey{}, hc)
	}
	return ctx
}

type connKey struct{}

type holdListener struct{ net.Listener }

func (l holdListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &holdConn{Conn: c}, nil
}

// holdConn is a connection that can hold its writes. Only the goroutine
// serving an HTTP/1 connection writes to it, so held needs no lock.
type holdConn struct {
	net.Conn
	held bool
	buf  *[]byte
	// err is a failed write of held bytes, returned by the next write:
	// the reply that held them has already returned.
	err error
}

// holdBufs are the buffers of held writes, pooled so that an idle
// connection keeps none.
var holdBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

func (c *holdConn) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.held {
		*c.buf = append(*c.buf, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// ReadFrom keeps the sendfile path of the connection net/http looks for
// when it serves a file.
func (c *holdConn) ReadFrom(r io.Reader) (int64, error) {
	if c.held || c.err != nil {
		return io.Copy(writerOnly{c}, r)
	}
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{c.Conn}, r)
}

// CloseWrite keeps net/http's graceful close of a TCP connection.
func (c *holdConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// writerOnly hides a writer's ReadFrom, so that io.Copy does not call it
// back.
type writerOnly struct{ io.Writer }

func (c *holdConn) hold() {
	c.held = true
	c.buf = holdBufs.Get().(*[]byte)
}

func (c *holdConn) release() {
	c.held = false
	if len(*c.buf) > 0 {
		_, c.err = c.Conn.Write(*c.buf)
	}
	if cap(*c.buf) <= 2*holdBelow {
		*c.buf = (*c.buf)[:0]
		holdBufs.Put(c.buf)
	}
	c.buf = nil
}

// heldReply writes e's status and body to w through r's connection held,
// so that net/http's writes of it reach the client as one; false when the
// connection cannot hold (HTTP/2, TLS, a server without ConnContext), and
// nothing is written then.
func heldReply(w http.ResponseWriter, r *http.Request, body []byte) bool {
	hc, ok := r.Context().Value(connKey{}).(*holdConn)
	if !ok || r.ProtoMajor != 1 || r.TLS != nil {
		return false
	}
	hc.hold()
	defer hc.release()
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	// What is left in net/http's buffers is held too, not sent after.
	_ = http.NewResponseController(w).Flush()
	return true
}
