package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
)

// ReplicaPath is the SPIFFE path a control-plane replica's certificate names: /replica/<id>.
const ReplicaPath = "/replica/"

// AuthorizeReplica accepts only spiffe://<td>/replica/<id>: an agent's, an operator's or another
// deployment's certificate, even one the same CA signed, is refused with what it names.
func AuthorizeReplica(td spiffeid.TrustDomain) tlsconfig.Authorizer {
	return func(id spiffeid.ID, _ [][]*x509.Certificate) error {
		if !id.MemberOf(td) {
			return fmt.Errorf("server certificate names %s, not a replica of deployment %q", id, td.Name())
		}
		rest, ok := strings.CutPrefix(id.Path(), ReplicaPath)
		if !ok || rest == "" || strings.Contains(rest, "/") {
			return fmt.Errorf("server certificate names %s, not a replica (want spiffe://%s/replica/<id>)", id, td.Name())
		}
		return nil
	}
}

// ReplicaTLSConfig verifies the server's chain against ca and its SPIFFE id with go-spiffe (no
// host-name check: the identity is the SPIFFE id), and presents cert when there is one.
func ReplicaTLSConfig(td spiffeid.TrustDomain, ca []*x509.Certificate, cert *tls.Certificate) *tls.Config {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	tlsconfig.HookTLSClientConfig(conf, x509bundle.FromX509Authorities(td, ca), AuthorizeReplica(td))
	if cert != nil {
		conf.Certificates = []tls.Certificate{*cert}
	}
	return conf
}
