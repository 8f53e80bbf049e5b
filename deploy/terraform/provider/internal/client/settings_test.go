package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/testpki"
)

const secretToken = "s3cr3t-token-value"

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestResolve(t *testing.T) {
	ca := testpki.NewCA(t, "lab-ca")
	dir := testpki.WriteDir(t, ca, ca.Issue(t, "spiffe://lab/operator/terraform"))
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(secretToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(emptyFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	eps := []string{"127.0.0.1:7001"}
	tests := []struct {
		name     string
		s        Settings
		env      map[string]string
		problems []string // "attribute: summary" of each problem, in order
		check    func(*testing.T, Resolved)
	}{
		{name: "tls dir", s: Settings{Endpoints: eps, Deployment: "lab", TLSDir: dir}, check: func(t *testing.T, r Resolved) {
			if r.Certificate == nil || len(r.CA) != 1 || r.TrustDomain.Name() != "lab" || r.Timeout != DefaultTimeout {
				t.Errorf("resolved %v", r)
			}
		}},
		{name: "everything from env", env: map[string]string{EnvEndpoints: "127.0.0.1:1, 127.0.0.1:2,127.0.0.1:1", EnvDeployment: "lab", EnvTLSDir: dir},
			check: func(t *testing.T, r Resolved) {
				if strings.Join(r.Endpoints, ",") != "127.0.0.1:1,127.0.0.1:2" {
					t.Errorf("endpoints %v (want the env's, deduplicated)", r.Endpoints)
				}
			}},
		{name: "no endpoints", s: Settings{Plaintext: true}, problems: []string{"endpoints: No endpoints"}},
		{name: "bad endpoints", s: Settings{Endpoints: []string{"cp1", "cp1:0", ":7443", "cp1:http"}, Plaintext: true},
			problems: []string{"endpoints: Invalid endpoint", "endpoints: Invalid endpoint", "endpoints: Invalid endpoint", "endpoints: Invalid endpoint"}},
		{name: "token over plaintext", s: Settings{Endpoints: eps, Plaintext: true, TokenFile: tokenFile},
			problems: []string{"plaintext: Plaintext would send the bearer token in the clear"}},
		{name: "env token over plaintext", s: Settings{Endpoints: eps, Plaintext: true}, env: map[string]string{EnvToken: secretToken},
			problems: []string{"plaintext: Plaintext would send the bearer token in the clear"}},
		{name: "plaintext with tls files", s: Settings{Endpoints: eps, Plaintext: true, TLSDir: dir}, problems: []string{"tls_dir: TLS file with plaintext"}},
		{name: "plaintext", s: Settings{Endpoints: eps, Plaintext: true}, check: func(t *testing.T, r Resolved) {
			if !r.Plaintext || r.HasToken() {
				t.Errorf("resolved %v", r)
			}
		}},
		{name: "tls needs deployment and ca", s: Settings{Endpoints: eps},
			problems: []string{"deployment: No deployment", "ca_file: No CA"}},
		{name: "bad deployment", s: Settings{Endpoints: eps, Deployment: "Lab Voice", TLSDir: dir}, problems: []string{"deployment: Invalid deployment"}},
		{name: "cert without key", s: Settings{Endpoints: eps, Deployment: "lab", CAFile: filepath.Join(dir, "ca.crt"), CertFile: filepath.Join(dir, "client.crt")},
			problems: []string{"cert_file: cert_file and key_file go together"}},
		{name: "ca only", s: Settings{Endpoints: eps, Deployment: "lab", CAFile: filepath.Join(dir, "ca.crt")}, problems: []string{"cert_file: No identity"}},
		{name: "ca is not pem", s: Settings{Endpoints: eps, Deployment: "lab", CAFile: tokenFile, TokenFile: tokenFile}, problems: []string{"ca_file: Unusable CA file"}},
		{name: "missing tls dir", s: Settings{Endpoints: eps, Deployment: "lab", TLSDir: filepath.Join(dir, "nope")},
			problems: []string{"tls_dir: Not a directory", "tls_dir: Unusable CA file", "tls_dir: Cannot read the client certificate"}},
		{name: "token with ca only", s: Settings{Endpoints: eps, Deployment: "lab", CAFile: filepath.Join(dir, "ca.crt"), TokenFile: tokenFile},
			check: func(t *testing.T, r Resolved) {
				if !r.HasToken() || r.Certificate != nil {
					t.Errorf("resolved %v", r)
				}
			}},
		{name: "empty token file", s: Settings{Endpoints: eps, Deployment: "lab", TLSDir: dir, TokenFile: emptyFile}, problems: []string{"token_file: Empty token file"}},
		{name: "missing token file", s: Settings{Endpoints: eps, Deployment: "lab", TLSDir: dir, TokenFile: emptyFile + ".x"}, problems: []string{"token_file: Cannot read the token file"}},
		{name: "negative timeout", s: Settings{Endpoints: eps, Plaintext: true, Timeout: -time.Second}, problems: []string{"timeout: Invalid timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, problems := Resolve(tt.s, envOf(tt.env))
			var got []string
			for _, p := range problems {
				got = append(got, p.Attribute+": "+p.Summary)
				if strings.Contains(p.Error(), secretToken) {
					t.Errorf("problem shows the token: %v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.problems, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.problems, "\n"))
			}
			if strings.Contains(r.String(), secretToken) {
				t.Errorf("String() shows the token: %s", r)
			}
			if tt.check != nil && len(problems) == 0 {
				tt.check(t, r)
			}
		})
	}
}
