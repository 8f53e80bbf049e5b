// Package client is the provider's one door to a Dialtone deployment: settings resolved and
// validated in one place, mutual TLS that accepts only a replica's SPIFFE identity, a bearer
// token sent as gRPC metadata, and calls that find the leader among the replicas.
package client

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// DefaultTimeout bounds one operation: finding an answering replica (or the leader) and the call.
const DefaultTimeout = 30 * time.Second

// Settings are what the provider block (or the environment) says, before validation. Empty
// strings and a zero Timeout mean "not set".
type Settings struct {
	Endpoints  []string
	Deployment string
	CAFile     string
	CertFile   string
	KeyFile    string
	TLSDir     string
	TokenFile  string
	Plaintext  bool
	Timeout    time.Duration
}

// Env names read when an attribute is not set in the provider block.
const (
	EnvEndpoints  = "DIALTONE_ENDPOINTS" // comma-separated host:port list
	EnvDeployment = "DIALTONE_DEPLOYMENT"
	EnvTLSDir     = "DIALTONE_TLS_DIR"
	EnvCA         = "DIALTONE_TLS_CA"
	EnvCert       = "DIALTONE_TLS_CERT"
	EnvKey        = "DIALTONE_TLS_KEY"
	EnvTokenFile  = "DIALTONE_TOKEN_FILE"
	EnvToken      = "DIALTONE_TOKEN"
)

// Problem is one thing wrong with the settings, naming the attribute it is about. It never
// carries a secret.
type Problem struct {
	Attribute string
	Summary   string
	Detail    string
}

func (p Problem) Error() string { return p.Attribute + ": " + p.Summary + ": " + p.Detail }

// Resolved settings: everything needed to open connections, validated.
type Resolved struct {
	Endpoints   []string
	Plaintext   bool
	TrustDomain spiffeid.TrustDomain
	CA          []*x509.Certificate
	Certificate *tls.Certificate // nil: no client certificate (token only)
	token       string           // never printed: see String
	Timeout     time.Duration
}

// HasToken says whether a bearer token goes with every call.
func (r Resolved) HasToken() bool { return r.token != "" }

// String never shows the token.
func (r Resolved) String() string {
	tok := "none"
	if r.token != "" {
		tok = "(redacted)"
	}
	mode := "mTLS deployment " + r.TrustDomain.Name()
	if r.Plaintext {
		mode = "plaintext"
	}
	return fmt.Sprintf("endpoints %s, %s, client certificate %v, token %s, timeout %s",
		strings.Join(r.Endpoints, ","), mode, r.Certificate != nil, tok, r.Timeout)
}

// Resolve fills unset settings from env, then checks them all, returning every problem found
// (not just the first) so a pipeline's operator can fix the block in one go.
func Resolve(s Settings, env func(string) string) (Resolved, []Problem) {
	if env == nil {
		env = func(string) string { return "" }
	}
	var problems []Problem
	add := func(attr, summary, detail string) {
		problems = append(problems, Problem{Attribute: attr, Summary: summary, Detail: detail})
	}
	if len(s.Endpoints) == 0 {
		for _, e := range strings.Split(env(EnvEndpoints), ",") {
			if e = strings.TrimSpace(e); e != "" {
				s.Endpoints = append(s.Endpoints, e)
			}
		}
	}
	s.Deployment = orEnv(s.Deployment, env, EnvDeployment)
	s.TLSDir = orEnv(s.TLSDir, env, EnvTLSDir)
	s.CAFile = orEnv(s.CAFile, env, EnvCA)
	s.CertFile = orEnv(s.CertFile, env, EnvCert)
	s.KeyFile = orEnv(s.KeyFile, env, EnvKey)
	s.TokenFile = orEnv(s.TokenFile, env, EnvTokenFile)

	r := Resolved{Plaintext: s.Plaintext, Timeout: s.Timeout}
	if r.Timeout == 0 {
		r.Timeout = DefaultTimeout
	} else if r.Timeout < 0 {
		add("timeout", "Invalid timeout", "must be positive, not "+s.Timeout.String())
	}

	if len(s.Endpoints) == 0 {
		add("endpoints", "No endpoints", "give the replicas' admin addresses as host:port, in the provider block or "+EnvEndpoints)
	}
	seen := map[string]bool{}
	for _, e := range s.Endpoints {
		if err := checkEndpoint(e); err != nil {
			add("endpoints", "Invalid endpoint", fmt.Sprintf("%q: %v", e, err))
			continue
		}
		if !seen[e] {
			seen[e] = true
			r.Endpoints = append(r.Endpoints, e)
		}
	}

	// The token: a file first, then the environment. Its text never goes into a problem.
	switch {
	case s.TokenFile != "":
		b, err := os.ReadFile(s.TokenFile)
		switch {
		case err != nil:
			add("token_file", "Cannot read the token file", fmt.Sprintf("%s: %s", s.TokenFile, ioReason(err)))
		case strings.TrimSpace(string(b)) == "":
			add("token_file", "Empty token file", s.TokenFile+" is empty")
		default:
			r.token = strings.TrimSpace(string(b))
		}
	case strings.TrimSpace(env(EnvToken)) != "":
		r.token = strings.TrimSpace(env(EnvToken))
	}
	if r.token != "" && !validToken(r.token) {
		r.token = ""
		add("token_file", "Invalid token", "the bearer token must be one line of printable ASCII")
	}

	if s.Plaintext {
		if r.token != "" {
			add("plaintext", "Plaintext would send the bearer token in the clear", "use TLS (ca_file or tls_dir) to send a token")
		}
		for attr, v := range map[string]string{"ca_file": s.CAFile, "cert_file": s.CertFile, "key_file": s.KeyFile, "tls_dir": s.TLSDir} {
			if v != "" {
				add(attr, "TLS file with plaintext", attr+" is set but plaintext = true; choose one")
			}
		}
		return r, problems
	}

	caAttr, certAttr, keyAttr := "ca_file", "cert_file", "key_file"
	if s.TLSDir != "" {
		if st, err := os.Stat(s.TLSDir); err != nil || !st.IsDir() {
			add("tls_dir", "Not a directory", s.TLSDir+" (it should hold ca.crt, client.crt and client.key)")
		}
		if s.CAFile == "" {
			s.CAFile, caAttr = filepath.Join(s.TLSDir, "ca.crt"), "tls_dir"
		}
		if s.CertFile == "" && s.KeyFile == "" {
			cert, key := filepath.Join(s.TLSDir, "client.crt"), filepath.Join(s.TLSDir, "client.key")
			if exists(cert) || exists(key) || r.token == "" {
				s.CertFile, s.KeyFile, certAttr, keyAttr = cert, key, "tls_dir", "tls_dir"
			}
		}
	}
	if s.Deployment == "" {
		add("deployment", "No deployment", "with TLS the replicas' certificates must name spiffe://<deployment>/replica/<id>; set deployment or "+EnvDeployment)
	} else if td, err := spiffeid.TrustDomainFromString(s.Deployment); err != nil {
		add("deployment", "Invalid deployment", fmt.Sprintf("%q is not a SPIFFE trust domain name: %v", s.Deployment, err))
	} else {
		r.TrustDomain = td
	}
	if s.CAFile == "" {
		add("ca_file", "No CA", "ca_file (or tls_dir with ca.crt, or "+EnvCA+") is required; plaintext = true only for a dev/lab replica")
	} else if cas, err := readCertificates(s.CAFile); err != nil {
		add(caAttr, "Unusable CA file", fmt.Sprintf("%s: %v", s.CAFile, err))
	} else {
		r.CA = cas
	}
	if (s.CertFile == "") != (s.KeyFile == "") {
		add("cert_file", "cert_file and key_file go together", "set both, or neither (and a token)")
	} else if s.CertFile != "" {
		if !exists(s.CertFile) {
			add(certAttr, "Cannot read the client certificate", s.CertFile+": no such file")
		} else if !exists(s.KeyFile) {
			add(keyAttr, "Cannot read the client key", s.KeyFile+": no such file")
		} else if pair, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile); err != nil {
			add(certAttr, "Unusable client certificate or key", fmt.Sprintf("%s, %s: %v", s.CertFile, s.KeyFile, keyPairReason(err)))
		} else {
			r.Certificate = &pair
		}
	}
	if s.CertFile == "" && s.KeyFile == "" && r.token == "" && s.CAFile != "" {
		add("cert_file", "No identity", "give a client certificate (cert_file and key_file, or tls_dir) or a bearer token (token_file or "+EnvToken+"); a replica refuses anonymous calls")
	}
	return r, problems
}

func orEnv(v string, env func(string) string, name string) string {
	if v != "" {
		return v
	}
	return strings.TrimSpace(env(name))
}

func checkEndpoint(e string) error {
	host, port, err := net.SplitHostPort(e)
	if err != nil {
		return errors.New("want host:port")
	}
	if host == "" {
		return errors.New("empty host")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not 1..65535", port)
	}
	return nil
}

func validToken(t string) bool {
	for _, c := range t {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func ioReason(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	default:
		return err.Error()
	}
}

// keyPairReason keeps crypto/tls's message but never any key material (it includes none).
func keyPairReason(err error) string { return err.Error() }

func readCertificates(path string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errors.New(ioReason(err))
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("bad certificate: %v", err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate in it")
	}
	return out, nil
}
