package client

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc/credentials"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/fakeadmin"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/testpki"
)

// handshake serves one TLS handshake on 127.0.0.1 with server's certificate and dials it
// with the provider's client config, returning the client's error.
func handshake(t *testing.T, serverCA *testpki.CA, server testpki.Leaf, clientCA *testpki.CA, deployment string) error {
	t.Helper()
	lis, err := tls.Listen("tcp", "127.0.0.1:0", testpki.ServerTLS(serverCA, server))
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	go func() {
		c, err := lis.Accept()
		if err == nil {
			_ = c.(*tls.Conn).Handshake()
			_ = c.Close()
		}
	}()
	td := spiffeid.RequireTrustDomainFromString(deployment)
	op := clientCA.Issue(t, "spiffe://"+deployment+"/operator/terraform")
	conf := ReplicaTLSConfig(td, []*x509.Certificate{clientCA.Cert}, &op.TLS)
	raw, err := net.Dial("tcp", lis.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn := tls.Client(raw, conf)
	defer conn.Close()
	return conn.Handshake()
}

func TestServerIdentity(t *testing.T) {
	ca := testpki.NewCA(t, "lab-ca")
	other := testpki.NewCA(t, "other-ca")
	tests := []struct {
		name      string
		serverCA  *testpki.CA
		id        string
		wantError string // "" = accepted
	}{
		{"replica", ca, "spiffe://lab/replica/cp-1", ""},
		{"agent", ca, "spiffe://lab/region/ap-south/agent/a1", "server certificate names spiffe://lab/region/ap-south/agent/a1, not a replica"},
		{"operator", ca, "spiffe://lab/operator/alice", "not a replica"},
		{"replica path with more segments", ca, "spiffe://lab/replica/cp-1/x", "not a replica"},
		{"another deployment's replica", ca, "spiffe://acme-voice/replica/cp-1", "no X.509 bundle"},
		{"replica of another CA", other, "spiffe://lab/replica/cp-1", "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := handshake(t, tt.serverCA, tt.serverCA.Issue(t, tt.id), ca, "lab")
			switch {
			case tt.wantError == "" && err != nil:
				t.Fatalf("refused a replica: %v", err)
			case tt.wantError != "" && err == nil:
				t.Fatalf("accepted %s", tt.id)
			case tt.wantError != "" && !strings.Contains(err.Error(), tt.wantError):
				t.Fatalf("error %q, want it to contain %q", err, tt.wantError)
			}
		})
	}
}

// Over gRPC too: an agent's certificate on the endpoint makes the call fail, saying why.
func TestStatusRefusesAnAgentsCertificate(t *testing.T) {
	ca := testpki.NewCA(t, "lab-ca")
	d := fakeadmin.New("lab", "cp-1")
	replicaAddr := d.Serve(t, "cp-1", credentials.NewTLS(testpki.ServerTLS(ca, ca.Issue(t, "spiffe://lab/replica/cp-1"))))
	agentAddr := d.Serve(t, "cp-2", credentials.NewTLS(testpki.ServerTLS(ca, ca.Issue(t, "spiffe://lab/region/ap-south/agent/a1"))))
	dir := testpki.WriteDir(t, ca, ca.Issue(t, "spiffe://lab/operator/terraform"))

	c := newClient(t, Settings{Endpoints: []string{agentAddr}, Deployment: "lab", TLSDir: dir})
	_, err := c.Status(t.Context())
	if err == nil {
		t.Fatal("an agent's certificate was accepted")
	}
	summary, detail := Explain("read the status", err)
	if !strings.Contains(summary, "no replica answered") || !strings.Contains(detail, "spiffe://lab/region/ap-south/agent/a1, not a replica") {
		t.Errorf("diagnostic %q / %q", summary, detail)
	}

	c = newClient(t, Settings{Endpoints: []string{agentAddr, replicaAddr}, Deployment: "lab", TLSDir: dir})
	st, err := c.Status(t.Context())
	if err != nil || st.GetReplicaId() != "cp-1" {
		t.Fatalf("status %v, %v: want cp-1's answer after the agent's endpoint is refused", st, err)
	}
}

func newClient(t *testing.T, s Settings) *Client {
	t.Helper()
	r, problems := Resolve(s, nil)
	if len(problems) > 0 {
		t.Fatalf("settings: %v", problems)
	}
	c, err := New(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
