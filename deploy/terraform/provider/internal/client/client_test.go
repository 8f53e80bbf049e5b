package client

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/fakeadmin"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/testpki"
)

// fakeClock never waits: Sleep advances it (unless ctx is already done).
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// three plaintext replicas cp-1..cp-3 of one deployment, cp-2 leading.
func threeReplicas(t *testing.T) (*fakeadmin.Deployment, []string) {
	d := fakeadmin.New("lab", "cp-2")
	return d, []string{d.Serve(t, "cp-1", nil), d.Serve(t, "cp-2", nil), d.Serve(t, "cp-3", nil)}
}

func plaintextClient(t *testing.T, eps []string, clock Clock) *Client {
	t.Helper()
	r, problems := Resolve(Settings{Endpoints: eps, Plaintext: true, Timeout: 5 * time.Second}, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	c, err := New(r, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func register(ctx context.Context, a pb.AdminServiceClient) error {
	_, err := a.RegisterRegion(ctx, &pb.RegisterRegionRequest{Id: "ap-south", Priority: 4})
	return err
}

func TestMutationsGoToTheLeader(t *testing.T) {
	d, eps := threeReplicas(t)
	c := plaintextClient(t, eps, &fakeClock{})
	if err := c.Mutate(t.Context(), "register", register); err != nil {
		t.Fatal(err)
	}
	var mutations []string
	for _, call := range d.Calls() {
		if call.Method != "GetStatus" {
			mutations = append(mutations, call.Replica+" "+call.Method)
		}
	}
	if strings.Join(mutations, ",") != "cp-2 RegisterRegion" {
		t.Errorf("mutations %v: want one, on the leader cp-2", mutations)
	}
}

func TestLeadershipChangeIsRetriedOnTheNewLeader(t *testing.T) {
	d, eps := threeReplicas(t)
	clock := &fakeClock{}
	c := plaintextClient(t, eps, clock)
	// The leader loses leadership during the call; cp-3 takes over.
	d.Fail("RegisterRegion", status.Error(codes.FailedPrecondition, "leadership changed during the call"))
	d.SetLeader("cp-3")
	if err := c.Mutate(t.Context(), "register", register); err != nil {
		t.Fatal(err)
	}
	if d.Region("ap-south") == nil {
		t.Fatal("not registered")
	}
	if len(clock.slept) != 1 || clock.slept[0] != firstBackoff {
		t.Errorf("slept %v, want one backoff of %v", clock.slept, firstBackoff)
	}
}

func TestNotTheLeaderIsRetriedThenGivenUp(t *testing.T) {
	d, eps := threeReplicas(t)
	clock := &fakeClock{}
	c := plaintextClient(t, eps, clock)
	refusal := status.Error(codes.FailedPrecondition, "replica cp-2 is not the leader; the leader is cp-9")
	for range 3 {
		d.Fail("RegisterRegion", refusal)
	}
	if err := c.Mutate(t.Context(), "register", register); err != nil {
		t.Fatalf("after 3 refusals: %v", err)
	}
	if got := clock.slept; len(got) != 3 || got[2] != 4*firstBackoff {
		t.Errorf("backoff %v", got)
	}

	// No leader at all: bounded by the deadline, and the diagnostic says who said what.
	d.SetLeader("")
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	err := c.Mutate(ctx, "register region ap-south", register)
	var gave *GaveUpError
	if !errors.As(err, &gave) {
		t.Fatalf("error %v, want GaveUpError", err)
	}
	summary, detail := Explain("register region ap-south", err)
	if summary != "Cannot register region ap-south: leader unknown" || !strings.Contains(detail, "cp-1 ("+eps[0]+") knows no leader") {
		t.Errorf("diagnostic %q / %q", summary, detail)
	}
}

func TestSafetyRuleIsNotRetried(t *testing.T) {
	d, eps := threeReplicas(t)
	clock := &fakeClock{}
	c := plaintextClient(t, eps, clock)
	d.AddRegion("us-east", 1, pb.RegionLifecycle_REGION_LIFECYCLE_ACTIVE)
	err := c.Mutate(t.Context(), "drain", func(ctx context.Context, a pb.AdminServiceClient) error {
		_, err := a.DrainRegion(ctx, &pb.DrainRegionRequest{Id: "us-east"})
		return err
	})
	if status.Code(err) != codes.FailedPrecondition || len(clock.slept) != 0 {
		t.Fatalf("error %v after %v: want the refusal at once", err, clock.slept)
	}
	summary, detail := Explain("drain region us-east", err)
	if summary != "Dialtone refused to drain region us-east (safety rule)" || !strings.Contains(detail, "us-east is active and there is no standby") {
		t.Errorf("diagnostic %q / %q", summary, detail)
	}
}

func TestNoReplicaListsEveryEndpoint(t *testing.T) {
	var eps []string
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, l.Addr().String())
		_ = l.Close() // nothing listens there now: connection refused
	}
	c := plaintextClient(t, eps, &fakeClock{})
	_, err := c.Status(t.Context())
	summary, detail := Explain("read region ap-south", err)
	if summary != "Cannot read region ap-south: no replica answered" || !strings.Contains(detail, eps[0]+": Unavailable") || !strings.Contains(detail, eps[1]+": Unavailable") {
		t.Errorf("diagnostic %q / %q", summary, detail)
	}
}

func TestTokenIsSentAsBearerMetadataAndNeverShown(t *testing.T) {
	ca := testpki.NewCA(t, "lab-ca")
	d := fakeadmin.New("lab", "cp-1")
	addr := d.Serve(t, "cp-1", credentials.NewTLS(testpki.ServerTLS(ca, ca.Issue(t, "spiffe://lab/replica/cp-1"))))
	dir := testpki.WriteDir(t, ca, ca.Issue(t, "spiffe://lab/operator/terraform"))
	r, problems := Resolve(Settings{Endpoints: []string{addr}, Deployment: "lab", CAFile: dir + "/ca.crt"}, envOf(map[string]string{EnvToken: secretToken}))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	c, err := New(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d.Fail("RegisterRegion", status.Error(codes.PermissionDenied, "token:ci has role viewer; RegisterRegion needs operator"))
	err = c.Mutate(t.Context(), "register region ap-south", register)
	summary, detail := Explain("register region ap-south", err)
	if summary != "Dialtone refused to register region ap-south (role)" {
		t.Errorf("summary %q", summary)
	}
	for _, s := range []string{summary, detail, err.Error(), r.String()} {
		if strings.Contains(s, secretToken) {
			t.Errorf("the token shows in %q", s)
		}
	}
	for _, call := range d.Calls() {
		if call.Authorization != "Bearer "+secretToken {
			t.Errorf("%s sent authorization %q", call.Method, call.Authorization)
		}
	}
}

func TestPlaintextRefusesAToken(t *testing.T) {
	if _, err := New(Resolved{Endpoints: []string{"127.0.0.1:1"}, Plaintext: true, token: secretToken}, nil); err == nil || strings.Contains(err.Error(), secretToken) {
		t.Errorf("error %v", err)
	}
}
