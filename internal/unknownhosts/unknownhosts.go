// Package unknownhosts is a DNS server on loopback that answers every question
// with NXDOMAIN ("no such host"). Tests point a net.Resolver at it, so that
// unknown host names are tried without sending a query off the machine.
package unknownhosts

import (
	"context"
	"net"
)

// Server answers DNS over UDP on 127.0.0.1.
type Server struct {
	conn net.PacketConn
}

// Start listens on a free loopback port and answers until Close.
func Start() (*Server, error) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{conn: conn}
	go s.serve()
	return s, nil
}

// Resolver resolves through the server only (and /etc/hosts, as every Go
// resolver does).
func (s *Server) Resolver() *net.Resolver {
	addr := s.conn.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// Close stops the server.
func (s *Server) Close() error { return s.conn.Close() }

func (s *Server) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		// The answer is the question with the header turned into a
		// response: QR set, opcode and RD kept, RA set, RCODE 3 (NXDOMAIN),
		// no answer, authority or additional records.
		msg := append([]byte(nil), buf[:n]...)
		msg[2] = 0x80 | msg[2]&0x79
		msg[3] = 0x80 | 3
		msg[6], msg[7], msg[8], msg[9], msg[10], msg[11] = 0, 0, 0, 0, 0, 0
		// Drop any EDNS record that followed the question (ARCOUNT was
		// cleared): keep the header and the first question only.
		msg = msg[:questionEnd(msg)]
		_, _ = s.conn.WriteTo(msg, from)
	}
}

// questionEnd is the offset just past the first question of a message.
func questionEnd(msg []byte) int {
	i := 12
	for i < len(msg) && msg[i] != 0 {
		i += int(msg[i]) + 1
	}
	return min(i+1+4, len(msg))
}
